"""The core is the engine of both faces: it must never depend on Qt or on the GUI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).parents[1] / "desktop_album" / "core"
FORBIDDEN = ("PySide6", "shiboken6", "desktop_album.gui", "desktop_album.app")


def test_core_sources_never_import_qt_or_gui() -> None:
    offenders = []
    for source in sorted(CORE.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
                if node.level and node.module and node.module.startswith("gui"):
                    names.append("desktop_album.gui")
            offenders += [
                f"{source.name}:{node.lineno} imports {n}" for n in names if n.startswith(FORBIDDEN)
            ]
    assert offenders == []


def test_importing_core_and_cli_loads_no_qt() -> None:
    code = (
        "import sys, desktop_album.cli, desktop_album.core.search, desktop_album.core.indexing;"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"
