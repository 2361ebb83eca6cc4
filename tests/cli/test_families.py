"""Each model family loaded as its reference does, proven through the command line.

The family packs (``tests/fixtures/tiny-siglip``, ``tiny-mclip``, ``tiny-nllb``, made by
``models.train_families``) carry ``tiny-pack``'s image tower byte for byte with their own text
towers, so the shape corpus is indexed once, with ``tiny-pack``, and every family searches it:
that it needs no second indexing is itself the image-space test.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from desktop_album.cli import main
from desktop_album.core.embedding import ClipModel
from desktop_album.core.errors import PackError
from desktop_album.core.packs import load_pack
from desktop_album.core.paths import AppPaths
from models.shapes import ShapeSpec

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SIGLIP, MCLIP, NLLB = (FIXTURES / f"tiny-{f}" for f in ("siglip", "mclip", "nllb"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def library(
    tmp_path_factory: pytest.TempPathFactory,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tiny_pack: Path,
) -> Path:
    """The shape corpus indexed once with tiny-pack. Tests copy it before writing to it."""
    path = tmp_path_factory.mktemp("families") / "library.db"
    folder = shapes_corpus[0][0].parent
    assert main(["--library", str(path), "--model", str(tiny_pack), "index", str(folder)]) == 0
    return path


def search(capsys: pytest.CaptureFixture[str], library: Path, pack: Path, text: str) -> list:
    code, out, err = run(
        capsys, "--library", str(library), "--model", str(pack), "search", text, "--json"
    )
    assert code == 0, err
    return json.loads(out)


def kinds(
    hits: list[dict[str, object]], corpus: list[tuple[Path, ShapeSpec]], top: int = 3
) -> list[tuple[str, str]]:
    by_path = {str(path.resolve()): spec for path, spec in corpus}
    return [(by_path[h["path"]].color, by_path[h["path"]].shape) for h in hits[:top]]


# -- SigLIP: canonicalise, pad to the context length with the pack's pad token, never trim ----


def test_siglip_query_in_capitals_with_punctuation_ranks_like_its_clean_form(
    capsys: pytest.CaptureFixture[str],
    library: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
) -> None:
    clean = search(capsys, library, SIGLIP, "a red circle")
    shouted = search(capsys, library, SIGLIP, "  A RED, Circle!!  ")
    assert kinds(clean, shapes_corpus) == [("red", "circle")] * 3
    assert [h["path"] for h in shouted] == [h["path"] for h in clean]
    assert [h["score"] for h in shouted] == pytest.approx([h["score"] for h in clean], abs=1e-5)


def test_siglip_tokens_fill_the_context_with_the_pad_token() -> None:
    model = ClipModel(load_pack(SIGLIP), provider="cpu", threads=1)
    pack = model.pack
    assert pack.text.canonicalize and not pack.text.trim_after_eot
    ids = model.tokenize(["A red circle!"])["text"]
    assert ids.shape == (1, pack.context_length)
    tokenizer = json.loads((SIGLIP / "textual" / "tokenizer.json").read_text("utf-8"))
    vocab = tokenizer["model"]["vocab"]
    words = [vocab["red"], vocab["circle"], vocab["</s>"]]
    assert ids[0, :4].tolist() == [vocab["a"], *words]
    assert set(ids[0, 4:].tolist()) == {vocab["<pad>"]}


def test_siglip_trimmed_sequence_or_wrong_pad_id_changes_the_embedding() -> None:
    """Why the rules matter: this tower pools the last slot and attends to every pad."""
    model = ClipModel(load_pack(SIGLIP), provider="cpu", threads=1)
    right = model.embed_texts(["a red circle"])[0]
    ids = model.tokenize(["a red circle"])["text"]
    session = ort.InferenceSession(str(SIGLIP / "textual" / "model.onnx"))

    def embed(tokens: np.ndarray) -> np.ndarray:
        out = session.run(None, {"text": tokens})[0][0]
        return out / np.linalg.norm(out)

    assert float(embed(ids) @ right) == pytest.approx(1.0, abs=1e-5)
    trimmed = ids[:, :5]  # cut after end-of-text, as is right for OpenAI CLIP only
    wrong_pad = np.where(ids == ids[0, -1], 1, ids).astype(ids.dtype)  # </s> as the pad
    assert float(embed(trimmed) @ right) < 0.99
    assert float(embed(wrong_pad) @ right) < 0.99


def test_a_text_graph_whose_fixed_length_disagrees_with_the_pack_is_refused(
    tmp_path: Path,
) -> None:
    pack_dir = shutil.copytree(SIGLIP, tmp_path / "liar")
    config = json.loads((pack_dir / "config.json").read_text("utf-8"))
    config["text_cfg"]["context_length"] = 12
    (pack_dir / "config.json").write_text(json.dumps(config), "utf-8")
    _fix_text_length(pack_dir / "textual" / "model.onnx", 16)
    with pytest.raises(PackError, match="takes 16 tokens"):
        ClipModel(load_pack(pack_dir), provider="cpu", threads=1).embed_texts(["a red circle"])


def _fix_text_length(path: Path, length: int) -> None:
    import onnx

    model = onnx.load(str(path))
    model.graph.input[0].type.tensor_type.shape.dim[1].dim_value = length
    onnx.save(model, str(path))


def test_openai_clip_trims_after_end_of_text(tiny_pack: Path) -> None:
    model = ClipModel(load_pack(tiny_pack), provider="cpu", threads=1)
    assert model.trims_after_eot
    assert model.tokenize(["a red circle"])["text"].shape == (1, 5)  # <sot> a red circle <eot>


# -- M-CLIP: input_ids + attention_mask --------------------------------------------------------


def test_mclip_gets_ids_and_mask_and_searches_in_korean(
    capsys: pytest.CaptureFixture[str],
    library: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
) -> None:
    model = ClipModel(load_pack(MCLIP), provider="cpu", threads=1)
    arrays = model.tokenize(["빨간 원"])
    assert sorted(arrays) == ["attention_mask", "input_ids"]
    assert arrays["input_ids"].shape == (1, model.pack.context_length)
    assert arrays["attention_mask"][0].tolist() == [1] * 4 + [0] * 12  # <s> 빨간 원 </s>
    assert (
        kinds(search(capsys, library, MCLIP, "빨간 원"), shapes_corpus) == [("red", "circle")] * 3
    )


# -- NLLB: the FLORES-200 code of the query's language first -----------------------------------


def test_nllb_korean_query_gets_kor_hang_and_finds_red_circles(
    capsys: pytest.CaptureFixture[str],
    library: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
) -> None:
    model = ClipModel(load_pack(NLLB), provider="cpu", threads=1, language="en")
    vocab = json.loads((NLLB / "textual" / "tokenizer.json").read_text("utf-8"))["model"]["vocab"]
    assert model.prepare_text("빨간 원") == "kor_Hang빨간 원"
    assert model.tokenize(["빨간 원"])["text"][0, 0] == vocab["kor_Hang"]
    assert model.tokenize(["a red circle"])["text"][0, 0] == vocab["eng_Latn"]
    assert kinds(search(capsys, library, NLLB, "빨간 원"), shapes_corpus) == [("red", "circle")] * 3
    assert (
        kinds(search(capsys, library, NLLB, "a blue star"), shapes_corpus) == [("blue", "star")] * 3
    )


def test_nllb_tokenizer_that_adds_its_own_code_gets_it_replaced(tmp_path: Path) -> None:
    """Hugging Face's NLLB tokenizer.json puts eng_Latn first itself: no second code goes in."""
    pack_dir = shutil.copytree(NLLB, tmp_path / "hf-style")
    path = pack_dir / "textual" / "tokenizer.json"
    tokenizer = json.loads(path.read_text("utf-8"))
    vocab = tokenizer["model"]["vocab"]
    tokenizer["post_processor"] = {
        "type": "TemplateProcessing",
        "single": [
            {"SpecialToken": {"id": "eng_Latn", "type_id": 0}},
            {"Sequence": {"id": "A", "type_id": 0}},
            {"SpecialToken": {"id": "</s>", "type_id": 0}},
        ],
        "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
        "special_tokens": {
            t: {"id": t, "ids": [vocab[t]], "tokens": [t]} for t in ("eng_Latn", "</s>")
        },
    }
    path.write_text(json.dumps(tokenizer, ensure_ascii=False), "utf-8")
    hf_style = ClipModel(load_pack(pack_dir), provider="cpu", threads=1)
    prefixing = ClipModel(load_pack(NLLB), provider="cpu", threads=1)

    ids = hf_style.tokenize(["빨간 원"])["text"][0]
    assert ids[:4].tolist() == [vocab["kor_Hang"], vocab["빨간"], vocab["원"], vocab["</s>"]]
    assert (ids == prefixing.tokenize(["빨간 원"])["text"][0]).all()
    english = hf_style.tokenize(["a red circle"])["text"][0]
    assert english[0] == vocab["eng_Latn"] and english[1] == vocab["a"]


# -- one image space: switching text towers embeds nothing again -------------------------------


@pytest.mark.parametrize("pack", [MCLIP, SIGLIP, NLLB], ids=lambda p: p.name)
def test_switching_to_a_pack_with_the_same_image_tower_embeds_no_photo(
    capsys: pytest.CaptureFixture[str],
    library: Path,
    shapes_corpus: list[tuple[Path, ShapeSpec]],
    tiny_pack: Path,
    tmp_path: Path,
    pack: Path,
) -> None:
    db = tmp_path / "library.db"
    shutil.copy(library, db)
    models = AppPaths.default().models_dir
    shutil.copytree(pack, models / pack.name)
    assert load_pack(pack).model_id == load_pack(tiny_pack).model_id

    code, out, err = run(capsys, "--library", str(db), "models", "use", pack.name)
    assert code == 0, err
    assert "Ready, no re-indexing needed" in out

    folder = shapes_corpus[0][0].parent
    code, _, err = run(capsys, "--library", str(db), "index", str(folder))
    assert code == 0
    assert "Indexed 0" in err
