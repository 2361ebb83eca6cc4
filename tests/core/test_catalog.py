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
    required = {
        "ViT-B-32__openai",
        "ViT-B-32-SigLIP2-256__webli",
        "ViT-B-16-SigLIP2__webli",
        "nllb-clip-base-siglip__v1",
        "XLM-Roberta-Large-Vit-B-32",
    }
    assert required <= set(catalog.names())
    for entry in catalog:
        # Files come from the Hub's own list of the repository: none are kept by hand.
        assert entry.files == ()
        assert entry.repo == f"immich-app/{entry.name}"
        assert entry.homepage == f"https://huggingface.co/immich-app/{entry.name}"
        assert entry.license


# immich's published table (Crossmodal-3600 recall %, peak MiB, ms on a CPU); None: unpublished.
PUBLISHED = {
    "ViT-B-32__openai": (59.37, None, 1004, 2.26),
    "ViT-B-32-SigLIP2-256__webli": (73.15, 67.54, 3061, 3.31),
    "ViT-B-16-SigLIP2__webli": (75.19, 70.25, 3038, 5.81),
    "XLM-Roberta-Base-ViT-B-32__laion5b_s13b_b90k": (68.33, 65.44, 3030, 3.2),
    "nllb-clip-base-siglip__v1": (68.41, 72.79, 4675, 15.17),
    "nllb-clip-large-siglip__v1": (71.19, 76.89, 4226, 75.05),
    "XLM-Roberta-Large-Vit-B-32": (None, None, None, None),  # not in immich's table
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_the_catalog_carries_immichs_published_figures(name: str) -> None:
    entry = load_catalog().get(name)
    assert (entry.recall_for("en"), entry.recall_for("ko"), entry.memory_mib, entry.cpu_ms) == (
        PUBLISHED[name]
    )
    if entry.recall_for("ko") is not None:
        assert entry.supports_language("ko")


def test_korean_and_other_languages_get_the_best_korean_capable_pack_for_a_cpu() -> None:
    catalog = load_catalog()
    korean = catalog.recommend("ko")
    assert korean.name == "ViT-B-16-SigLIP2__webli"
    assert korean.supports_language("ko") and catalog.runs_well_on_cpu(korean)
    # Better Korean recall exists (NLLB), but not among packs that run well on a CPU.
    for entry in catalog:
        ko = entry.recall_for("ko")
        if ko is not None and ko > (korean.recall_for("ko") or 0):
            assert not catalog.runs_well_on_cpu(entry), entry.name
    assert catalog.recommend("ko_KR") is korean
    assert catalog.recommend("ja-JP").supports_language("ja")
    assert catalog.recommend("fr").supports_language("fr")
    assert catalog.recommend("en_US").name == "ViT-B-32__openai"
    assert catalog.recommend("").name == "ViT-B-32__openai"


def test_recommend_follows_the_figures_not_the_order(tmp_path: Path) -> None:
    def pack(name: str, ko: float | None, cpu_ms: float, default: bool = False) -> dict:
        return {
            "name": name,
            "repo": f"org/{name}",
            "embed_dim": 4,
            "languages": ["en", "ko"] if ko is not None else ["en"],
            "recall": {"en": 60.0, "ko": ko},
            "cpu_ms": cpu_ms,
            "default": default,
        }

    packs = [
        pack("fast-english", None, 2.0, default=True),
        pack("slow-best-korean", 80.0, 30.0),
        pack("fast-korean", 60.0, 3.0),
        pack("fast-better-korean", 65.0, 5.0),
    ]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"packs": packs}))
    catalog = load_catalog(path)
    assert catalog.recommend("ko").name == "fast-better-korean"
    assert catalog.recommend("de").name == "fast-better-korean"  # no German figures: as Korean
    assert catalog.recommend("en").name == "fast-english"
    assert catalog.get("slow-best-korean").size is None  # unknown until the Hub is asked


def test_a_hand_kept_file_list_still_works_with_a_mirror(tmp_path: Path) -> None:
    pack = {
        "name": "x",
        "embed_dim": 4,
        "base_url": "https://example.invalid/x",
        "files": [{"path": "config.json"}, {"path": "visual/model.onnx", "size": 3}],
    }
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"packs": [pack]}))
    entry = load_catalog(path).get("x").with_base_url("http://127.0.0.1:8000/mirror/")
    assert [f.url for f in entry.files] == [
        "http://127.0.0.1:8000/mirror/config.json",
        "http://127.0.0.1:8000/mirror/visual/model.onnx",
    ]
    assert entry.size is None  # one size unknown


def test_a_pack_needs_a_repo_or_files(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"packs": [{"name": "x", "embed_dim": 4}]}))
    with pytest.raises(PackError, match="Hub repo or a list of files"):
        load_catalog(path)
    path.write_text(json.dumps({"packs": [{"name": "x", "repo": "x", "embed_dim": 4}]}))
    with pytest.raises(PackError, match="owner/name"):
        load_catalog(path)
    path.write_text(json.dumps({"packs": [{"name": "x", "repo": "o/x", "recall": {"ko": 170}}]}))
    with pytest.raises(PackError, match="percentage"):
        load_catalog(path)


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
