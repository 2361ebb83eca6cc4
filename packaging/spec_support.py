"""Plain-Python pieces of ``build.spec``: version, data globs, excludes, the GPU-library filter.

Kept apart from the spec so ``tests/test_packaging.py`` can check them without PyInstaller. The
spec loads this file by path; there is deliberately no ``packaging/__init__.py``, because a
regular package named ``packaging`` would shadow PyPA's ``packaging`` library, which pip,
setuptools and PyInstaller all import.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

APP_NAME = "desktop-album"  # the windowed executable and the folder
CLI_NAME = "desktop-album-cli"  # the console executable, in the same folder
BUNDLE_NAME = "Desktop Album.app"
BUNDLE_ID = "io.github.desktop-album"
ENTRY_SCRIPT = "packaging/desktop_album_main.py"

# Set to 1 to leave out onnxruntime-gpu's CUDA / TensorRT provider libraries (Linux, Windows).
CPU_ONLY_ENV = "DESKTOP_ALBUM_CPU_ONLY"

# (glob relative to the repository root, folder inside the frozen app). desktop_album/data is
# collected whole by collect_data_files, which covers desktop_album/data/translations/*.qm.
DATA_GLOBS: tuple[tuple[str, str], ...] = (
    ("desktop_album/data/catalog.json", "desktop_album/data"),
    ("desktop_album/data/translations/*.qm", "desktop_album/data/translations"),
    ("resources/translations/*.qm", "resources/translations"),
    ("resources/icons/*.svg", "resources/icons"),
    ("resources/icons/*.png", "resources/icons"),
    ("resources/desktop-album.desktop", "resources"),
)

# Imported by the export and test tooling, never by the app. Most are not reachable from the
# entry script anyway; naming them stops an optional import somewhere (onnxruntime's tools,
# PIL's plugins) from dragging hundreds of megabytes in.
EXCLUDES: tuple[str, ...] = (
    "torch",
    "torchvision",
    "transformers",
    "onnx",
    "onnxscript",
    "onnx_ir",
    "onnxruntime.transformers",
    "onnxruntime.tools",
    "onnxruntime.quantization",
    "huggingface_hub",
    "safetensors",
    "sympy",
    "scipy",
    "skimage",
    "pandas",
    "matplotlib",
    "tkinter",
    "_tkinter",
    "IPython",
    "jupyter_client",
    "pytest",
    "pytestqt",
    "mypy",
    "ruff",
    "models",
    "tests",
    "benchmarks",
    # Qt modules the app never uses (PySide6-Essentials ships them).
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtHelp",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtXml",
)

_GPU_PROVIDER = re.compile(
    r"(^|[\\/])(lib)?onnxruntime_providers_(cuda|tensorrt|rocm|migraphx)[^\\/]*$", re.IGNORECASE
)


def read_version(root: Path = ROOT) -> str:
    """``__version__`` from ``desktop_album/__init__.py``, read without importing the package."""
    source = (root / "desktop_album" / "__init__.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise ValueError("desktop_album/__init__.py has no literal __version__")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """The four numbers a Windows version resource wants: "1.2.3rc1" -> (1, 2, 3, 0)."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:3]]
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def cpu_only(environ: dict[str, str] | None = None) -> bool:
    value = (os.environ if environ is None else environ).get(CPU_ONLY_ENV, "")
    return value.strip().lower() in {"1", "true", "yes", "on"}


def is_gpu_provider_library(dest_name: str) -> bool:
    """True for onnxruntime-gpu's CUDA/TensorRT/ROCm provider plugins (not the shared one)."""
    return bool(_GPU_PROVIDER.search(dest_name))


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source, destination folder) pairs for the globs that match something right now."""
    pairs = []
    for pattern, dest in DATA_GLOBS:
        pairs += [(str(path), dest) for path in sorted(root.glob(pattern)) if path.is_file()]
    return pairs


def windows_version_info(version: str, name: str = APP_NAME):  # type: ignore[no-untyped-def]
    """A VSVersionInfo for ``EXE(version=...)``; Windows only (needs pywin32)."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = version_tuple(version)
    strings = {
        "CompanyName": "Desktop Album contributors",
        "FileDescription": "Desktop Album",
        "FileVersion": version,
        "InternalName": name,
        "LegalCopyright": "MIT License",
        "OriginalFilename": f"{name}.exe",
        "ProductName": "Desktop Album",
        "ProductVersion": version,
    }
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            vi.StringFileInfo(
                [vi.StringTable("040904B0", [vi.StringStruct(k, v) for k, v in strings.items()])]
            ),
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0409, 1200])]),
        ],
    )
