"""PackStore: validating, importing, listing and removing packs; a broken pack changes nothing."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_album.core.errors import ModelMissingError, PackError
from desktop_album.core.pack_store import (
    HOW_TO_GET_A_MODEL,
    PackStore,
    install_folder,
    validate_pack,
)
from desktop_album.core.packs import load_pack
from tests.packs import make_minimal_pack


@pytest.fixture
def store(tmp_path: Path) -> PackStore:
    return PackStore(tmp_path / "models")


def snapshot(folder: Path) -> list[tuple[str, int]]:
    """Every path under ``folder`` with its size: equal snapshots mean nothing changed."""
    if not folder.exists():
        return []
    return sorted(
        (p.relative_to(folder).as_posix(), p.stat().st_size if p.is_file() else -1)
        for p in folder.rglob("*")
    )


def test_validate_pack_runs_both_towers(tmp_path: Path) -> None:
    pack = validate_pack(make_minimal_pack(tmp_path / "p", dim=6, size=10))
    assert (pack.embed_dim, pack.preprocess.size) == (6, 10)


def test_import_installs_a_valid_pack(store: PackStore, tmp_path: Path) -> None:
    source = make_minimal_pack(tmp_path / "src" / "my-pack")
    (source / "notes.part").write_text("a partial download is not part of the pack")

    pack = store.import_pack(source)

    assert pack.path == (store.folder / "my-pack").resolve()
    assert store.names() == ["my-pack"]
    assert store.get("my-pack").embed_dim == 4
    assert not (pack.path / "notes.part").exists()
    assert (source / "config.json").is_file()  # the source is copied, not moved
    [info] = store.installed()
    assert (info.name, info.embed_dim, info.problem) == ("my-pack", 4, None)
    assert info.size_bytes == sum(p.stat().st_size for p in pack.path.rglob("*") if p.is_file())
    assert [p.name for p in store.folder.iterdir()] == ["my-pack"]  # no staging left


def test_import_under_another_name(store: PackStore, tmp_path: Path) -> None:
    source = make_minimal_pack(tmp_path / "src")
    pack = store.import_pack(source, name="renamed")
    assert pack.name == "renamed"
    # Vectors are keyed by the image tower, not the name: a renamed copy shares them.
    assert pack.model_id == load_pack(source).model_id
    assert store.resolve("renamed").path == pack.path


def _missing_tokenizer(pack: Path) -> None:
    (pack / "textual" / "tokenizer.json").unlink()


def _wrong_embed_dim(pack: Path) -> None:
    config = json.loads((pack / "config.json").read_text())
    config["embed_dim"] = 8
    (pack / "config.json").write_text(json.dumps(config))


def _garbage_onnx(pack: Path) -> None:
    (pack / "visual" / "model.onnx").write_bytes(b"\x00garbage, not a model")


def _pad_token_not_in_vocab(pack: Path) -> None:
    (pack / "textual" / "tokenizer_config.json").write_text('{"pad_token": "[NOPE]"}')


@pytest.mark.parametrize(
    ("breakage", "reason"),
    [
        (_missing_tokenizer, r"missing: .*tokenizer\.json"),
        (_wrong_embed_dim, r"embed_dim 8"),
        (_garbage_onnx, r"Cannot load .*model\.onnx"),
        (_pad_token_not_in_vocab, r"pad token '\[NOPE\]'"),
    ],
    ids=["missing-file", "wrong-embed-dim", "garbage-onnx", "bad-pad-token"],
)
def test_a_broken_pack_is_refused_with_its_reason_and_nothing_changes(
    store: PackStore, tmp_path: Path, breakage: Callable[[Path], None], reason: str
) -> None:
    good = store.import_pack(make_minimal_pack(tmp_path / "good"), name="same-name")
    before = snapshot(store.folder)
    broken = make_minimal_pack(tmp_path / "broken")
    breakage(broken)

    with pytest.raises(PackError, match=reason):
        store.import_pack(broken, name="same-name")

    assert snapshot(store.folder) == before  # the installed pack of that name is untouched
    assert store.get("same-name").path == good.path


def test_an_import_replacing_a_pack_swaps_it_whole(store: PackStore, tmp_path: Path) -> None:
    store.import_pack(make_minimal_pack(tmp_path / "v1", dim=4), name="p")
    store.import_pack(make_minimal_pack(tmp_path / "v2", dim=6), name="p")
    assert store.get("p").embed_dim == 6
    assert [p.name for p in store.folder.iterdir()] == ["p"]


def test_bad_names_are_refused(store: PackStore, tmp_path: Path) -> None:
    source = make_minimal_pack(tmp_path / "src")
    for name in ("../escape", ".hidden", "a/b", ""):
        with pytest.raises(PackError, match="cannot be a model name"):
            store.import_pack(source, name=name or " ")
    assert snapshot(store.folder) == []


def test_remove_deletes_the_pack(store: PackStore, tmp_path: Path) -> None:
    store.import_pack(make_minimal_pack(tmp_path / "a"))
    store.import_pack(make_minimal_pack(tmp_path / "b"))

    store.remove("a")

    assert store.names() == ["b"]
    assert [p.name for p in store.folder.iterdir()] == ["b"]
    with pytest.raises(ModelMissingError, match="'a' is not installed"):
        store.remove("a")


def test_installed_lists_a_broken_pack_with_its_problem(store: PackStore, tmp_path: Path) -> None:
    folder = make_minimal_pack(store.folder / "half")
    (folder / "visual" / "preprocess_cfg.json").unlink()
    [info] = store.installed()
    assert info.embed_dim is None
    assert info.problem is not None and "preprocess_cfg.json" in info.problem


def test_recover_puts_back_a_pack_left_aside_by_a_crash(store: PackStore, tmp_path: Path) -> None:
    make_minimal_pack(store.folder / "p")
    # A crash between "rename the old pack aside" and "rename the new one in":
    os.replace(store.folder / "p", store.folder / ".p.old")
    assert store.names() == []

    store.recover()

    assert store.names() == ["p"]
    assert not (store.folder / ".p.old").exists()


def test_install_folder_restores_the_old_pack_when_the_new_one_cannot_move_in(
    tmp_path: Path,
) -> None:
    target = make_minimal_pack(tmp_path / "models" / "p")
    with pytest.raises(OSError):
        install_folder(tmp_path / "models" / ".does-not-exist", target)
    assert (target / "config.json").is_file()
    assert sorted(p.name for p in target.parent.iterdir()) == ["p"]


def test_existing_lookups_keep_working(store: PackStore, tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError) as caught:
        store.resolve(None)
    assert str(caught.value) == HOW_TO_GET_A_MODEL
    loose = make_minimal_pack(tmp_path / "loose")
    assert store.resolve(str(loose)).path == loose.resolve()
    shutil.copytree(loose, store.folder / "inst")
    assert store.resolve(None).name == "inst"
