"""The shipped catalog: complete, honest (no invented hashes), and strictly read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_album.core.catalog import load_catalog
from desktop_album.core.errors import PackError


def test_the_shipped_catalog_is_honest() -> None:
    catalog = load_catalog()
    assert catalog.default().name == "ViT-B-32__openai"
    assert sum(e.default for e in catalog) == 1
    assert any(e.supports_language("ko") for e in catalog)
    required = {
        "config.json",
        "visual/model.onnx",
        "visual/preprocess_cfg.json",
        "textual/model.onnx",
        "textual/tokenizer.json",
        "textual/tokenizer_config.json",
    }
    for entry in catalog:
        assert required <= {f.path for f in entry.files}, entry.name
        assert entry.license and entry.homepage.startswith("https://huggingface.co/immich-app/")
        for file in entry.files:
            assert file.url == (
                f"https://huggingface.co/immich-app/{entry.name}/resolve/main/{file.path}"
            )
            assert file.sha256 is None or len(file.sha256) == 64


def test_with_base_url_points_every_file_at_a_mirror() -> None:
    entry = load_catalog().default().with_base_url("http://127.0.0.1:8000/mirror/")
    assert {f.url for f in entry.files} == {
        f"http://127.0.0.1:8000/mirror/{f.path}" for f in entry.files
    }


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"path": "../../etc/passwd"}, "bad path"),
        ({"sha256": "not-a-hash"}, "64 hex digits"),
        ({"size": -1}, "byte count"),
    ],
)
def test_a_bad_catalog_file_is_refused(
    tmp_path: Path, change: dict[str, object], reason: str
) -> None:
    file = {"path": "config.json", "size": None, "sha256": None, **change}
    pack = {"name": "x", "embed_dim": 4, "base_url": "https://example.invalid", "files": [file]}
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"packs": [pack]}))
    with pytest.raises(PackError, match=reason):
        load_catalog(path)
