"""The frozen app's entry point: both executables of the PyInstaller build run this script.

``desktop-album`` (windowed; no console on Windows) and ``desktop-album-cli`` (console) share one
folder of libraries and behave exactly like the ``desktop-album`` console script of a pip
install: no arguments opens the window, a command runs headless.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a no-op unless a child process is being started
    from desktop_album.cli import main

    sys.exit(main())
