"""Cooperative pause and cancel for long work. Threads are asked, never killed."""

from __future__ import annotations

import threading


class RunControl:
    """Shared between the thread doing the work and the one steering it."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._cancelled = threading.Event()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def cancel(self) -> None:
        self._cancelled.set()
        self._running.set()  # a paused worker must wake up to see the cancel

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def checkpoint(self) -> bool:
        """Block while paused; True when the work should stop."""
        self._running.wait()
        return self._cancelled.is_set()
