"""Image spaces: vectors keyed by the image tower, shared by packs, adopted from old libraries."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_album.cli import main
from desktop_album.core import image_space
from desktop_album.core.library import Library
from desktop_album.core.packs import load_pack
from desktop_album.core.paths import AppPaths
from models.shapes import ShapeSpec
from tests.packs import make_minimal_pack


def test_same_tower_and_preprocessing_share_a_space(tmp_path: Path) -> None:
    a = load_pack(make_minimal_pack(tmp_path / "a"))
    b = load_pack(make_minimal_pack(tmp_path / "b"))
    other_tower = load_pack(make_minimal_pack(tmp_path / "c", visual_seed=1))
    assert a.model_id == b.model_id
    assert a.model_id.startswith("space-")
    assert other_tower.model_id != a.model_id

    cfg_path = tmp_path / "b" / "visual" / "preprocess_cfg.json"
    cfg = json.loads(cfg_path.read_text("utf-8"))
    cfg["resize_mode"] = "squash"  # same weights, other pixels: another space
    cfg_path.write_text(json.dumps(cfg), "utf-8")
    assert load_pack(tmp_path / "b").model_id != a.model_id


def test_the_visual_digest_is_cached_outside_the_pack(tmp_path: Path) -> None:
    folder = make_minimal_pack(tmp_path / "a")
    files = sorted(folder.rglob("*"))
    first = load_pack(folder).model_id
    assert sorted(folder.rglob("*")) == files  # the pack is never written to
    model = (folder / "visual" / "model.onnx").resolve()
    cache = json.loads((AppPaths.default().cache / image_space.CACHE_FILE).read_text("utf-8"))
    assert cache[str(model)]["size"] == model.stat().st_size
    # A tower replaced in place is noticed through its size and mtime.
    make_minimal_pack(folder, visual_seed=3)
    os.utime(model, ns=(1, 1))
    assert load_pack(folder).model_id != first


def test_without_a_writable_cache_the_space_is_still_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_minimal_pack(tmp_path / "a")
    expected = load_pack(folder).model_id
    image_space._memo.clear()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("DESKTOP_ALBUM_HOME", str(blocker))
    assert load_pack(folder).model_id == expected


def _make_legacy(db: Path, space: str, name: str) -> None:
    """Rewrite a library as the version before image spaces left it: vectors under the name.
    (The schema steps since then are additive and run on any older library; what matters here
    is where the vectors are.)"""
    conn = sqlite3.connect(db)
    conn.executescript(
        f"""
        PRAGMA foreign_keys = OFF;
        UPDATE models SET id = '{name}' WHERE id = '{space}';
        UPDATE embeddings SET model_id = '{name}' WHERE model_id = '{space}';
        """
    )
    conn.close()


def test_an_old_library_keeps_its_vectors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tiny_pack: Path,
) -> None:
    db = tmp_path / "library.db"
    folder = shapes_corpus[0][0].parent
    pack = shutil.copytree(tiny_pack, tmp_path / "packs" / "tiny-pack")
    assert main(["--library", str(db), "--model", str(pack), "index", str(folder)]) == 0
    space = load_pack(pack).model_id
    _make_legacy(db, space, "tiny-pack")
    capsys.readouterr()

    # Searching moves the old vectors to the space, once; nothing is embedded again.
    assert main(["--library", str(db), "--model", str(pack), "search", "a red circle"]) == 0
    with Library(db) as library:
        assert library.embedding_counts() == {space: 100}
        assert library.model_id_for_name("tiny-pack") == space
    assert main(["--library", str(db), "--model", str(pack), "index", str(folder)]) == 0
    assert "Indexed 0" in capsys.readouterr().err


def test_nothing_to_adopt_takes_no_write_lock(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    with Library(db, busy_timeout_ms=50) as library:
        writer = sqlite3.connect(db)
        writer.execute("BEGIN IMMEDIATE")  # another process is writing
        try:
            assert library.adopt_model_vectors("some-pack", "space-0123") == 0
        finally:
            writer.rollback()
            writer.close()
