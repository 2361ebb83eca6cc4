"""Prompt templates from a pack's desktop_album.json are averaged per query without hurting
the ranking, and a text prefix reaches the tokenizer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from desktop_album.core.embedding import ClipModel
from desktop_album.core.indexing import Indexer
from desktop_album.core.library import Library
from desktop_album.core.packs import load_pack
from desktop_album.core.search import SearchEngine
from models.shapes import COLORS, SHAPES, ShapeSpec


def test_templates_keep_the_ranking(
    tmp_path: Path, tiny_pack: Path, shapes_corpus: list[tuple[Path, ShapeSpec]]
) -> None:
    pack_dir = tmp_path / "templated"
    shutil.copytree(tiny_pack, pack_dir)
    (pack_dir / "desktop_album.json").write_text(
        json.dumps({"prompt_templates": ["a photo of {}", "a picture of {}", "{}"]})
    )
    pack = load_pack(pack_dir)
    assert pack.query.templates == ("a photo of {}", "a picture of {}", "{}")
    model = ClipModel(pack, provider="cpu")
    plain = ClipModel(load_pack(tiny_pack), provider="cpu")
    # Averaging really changes the query vector (the templates are used)...
    assert float(model.embed_query("a red circle") @ plain.embed_query("a red circle")) < 0.9999

    by_path = {str(p.resolve()): s for p, s in shapes_corpus}
    with Library(tmp_path / "lib.db") as library:
        library.add_root(shapes_corpus[0][0].parent)
        Indexer(library, model).run()
        engine = SearchEngine(library, model)
        present = {(s.color, s.shape) for s in by_path.values()}
        right = total = 0
        for color in COLORS:
            for shape in SHAPES:
                if (color, shape) in present:
                    top = by_path[engine.search_text(f"a {color} {shape}", 1)[0].path]
                    right += (top.color, top.shape) == (color, shape)
                    total += 1
    # ...and the ranking stays at the acceptance bar.
    assert right / total >= 0.9, f"{right}/{total}"


def test_text_prefix_is_prepended(tmp_path: Path, tiny_pack: Path) -> None:
    pack_dir = tmp_path / "prefixed"
    shutil.copytree(tiny_pack, pack_dir)
    (pack_dir / "desktop_album.json").write_text(json.dumps({"text_prefix": "a photo of "}))
    prefixed = ClipModel(load_pack(pack_dir), provider="cpu")
    plain = ClipModel(load_pack(tiny_pack), provider="cpu")
    expected = plain.embed_texts(["a photo of a red circle"])[0]
    assert np.allclose(prefixed.embed_query("a red circle"), expected, atol=1e-6)
