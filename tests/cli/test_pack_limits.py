"""Broken model packs are refused with one clear line (exit 2), never a traceback and never a
model that silently finds nothing."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop_album.cli import main
from desktop_album.core.errors import PackError
from desktop_album.core.packs import load_pack

Edit = Callable[[Path], None]


def _edit_json(relative: str, change: Callable[[dict[str, Any]], None]) -> Edit:
    def edit(pack: Path) -> None:
        path = pack / relative
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")  # NaN is written as NaN

    return edit


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.__setitem__(key, value)


def _deeply_nested(pack: Path) -> None:
    depth = 100_000
    (pack / "config.json").write_text('{"embed_dim": 64, "x": ' + "[" * depth + "]" * depth + "}")


def _huge(pack: Path) -> None:
    path = pack / "config.json"
    with path.open("w") as handle:
        handle.write('{"embed_dim": 64, "pad": "')
    os.truncate(path, 500 << 20)  # sparse: 500 MB long, no disk used


def _context_length(value: Any) -> Edit:
    def change(data: dict[str, Any]) -> None:
        data["text_cfg"]["context_length"] = value

    return _edit_json("config.json", change)


PRE = "visual/preprocess_cfg.json"
BROKEN: dict[str, tuple[Edit, str]] = {
    "deeply nested config.json": (_deeply_nested, "nested too deeply"),
    "500 MB config.json": (_huge, "too large"),
    "NaN mean": (_edit_json(PRE, _set("mean", [0.5, float("nan"), 0.5])), "'mean'"),
    "zero std": (_edit_json(PRE, _set("std", [0.2, 0.0, 0.2])), "'std'"),
    "negative std": (_edit_json(PRE, _set("std", [0.2, -1.0, 0.2])), "'std'"),
    "infinite std": (_edit_json(PRE, _set("std", [0.2, float("inf"), 0.2])), "'std'"),
    "huge image size": (_edit_json(PRE, _set("size", 100_000)), "'size' is 100000"),
    "zero image size": (_edit_json(PRE, _set("size", [0, 0])), "'size'"),
    "text context length": (_context_length("77"), "context_length"),
    "float context length": (_context_length(77.0), "context_length"),
    "huge context length": (_context_length(10**9), "context_length"),
    "text_cfg not an object": (_edit_json("config.json", _set("text_cfg", [1])), "text_cfg"),
    "embed dim as text": (_edit_json("config.json", _set("embed_dim", "64")), "embed_dim"),
    "embed dim as bool": (_edit_json("config.json", _set("embed_dim", True)), "embed_dim"),
    "huge embed dim": (_edit_json("config.json", _set("embed_dim", 10**7)), "embed_dim"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_pack_is_refused_in_one_line(
    case: str, tmp_path: Path, tiny_pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit, expected = BROKEN[case]
    pack = tmp_path / "pack"
    shutil.copytree(tiny_pack, pack)
    edit(pack)
    with pytest.raises(PackError, match=expected):
        load_pack(pack)
    code = main(["--library", str(tmp_path / "lib.db"), "--model", str(pack), "search", "x"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], err


def test_the_committed_pack_is_within_the_limits(tiny_pack: Path) -> None:
    pack = load_pack(tiny_pack)
    assert pack.preprocess.size == 64 and pack.context_length == 16
