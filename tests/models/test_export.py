"""models.export on a randomly initialised tiny CLIP: a valid pack, faithful to torch."""

from __future__ import annotations

import contextlib
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("onnxscript")

import onnx  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from transformers import CLIPModel  # noqa: E402

from desktop_album.core.packs import load_pack  # noqa: E402
from models import export  # noqa: E402
from models.shapes import COLORS, SHAPES, ShapeSpec, render  # noqa: E402
from models.tiny_clip import build_tokenizer, tiny_config  # noqa: E402

TEXTS = ["a red circle", "a small blue square on yellow", "노란 배경의 작은 파란 사각형", "star"]


@dataclass
class Exported:
    checkpoint: Path
    pack: Path
    stdout: str


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """A random tiny CLIP saved as a transformers checkpoint, then exported by the CLI."""
    root = tmp_path_factory.mktemp("export")
    checkpoint, pack = root / "hf", root / "pack"
    torch.manual_seed(0)
    tokenizer = build_tokenizer()
    CLIPModel(tiny_config(tokenizer)).save_pretrained(checkpoint)
    tokenizer.save(str(checkpoint / "tokenizer.json"))
    (checkpoint / "tokenizer_config.json").write_text(
        json.dumps({"pad_token": "<|endoftext|>", "eos_token": "<|endoftext|>"})
    )
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        assert export.main(["--hf", str(checkpoint), "--out", str(pack), "--int8"]) == 0
    return Exported(checkpoint, pack, stdout.getvalue())


def _images(size: int) -> np.ndarray:
    rng = random.Random(1)
    specs = [ShapeSpec(c, s, "medium", "gray") for c, s in zip(COLORS, SHAPES, strict=False)]
    images = [render(spec, rng.randint(80, 300), 120, rng) for spec in specs]
    return np.stack([export.clip_preprocess(im, size) for im in images])


def _run(model: Path, name: str, value: np.ndarray) -> np.ndarray:
    out: np.ndarray = export.session(model).run(None, {name: value})[0]
    return out


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def test_pack_loads_with_the_sizes_of_the_model(exported: Exported) -> None:
    pack = load_pack(exported.pack)
    config = json.loads((exported.pack / "config.json").read_text())

    assert pack.embed_dim == 64
    assert pack.context_length == 16
    assert pack.preprocess.size == 64
    assert pack.pad_token == "<|endoftext|>"
    assert pack.has_precision("int8")
    assert config["vision_cfg"] == {"image_size": 64, "patch_size": 8, "width": 128, "layers": 3}
    assert set(config["text_cfg"]) == {"context_length", "vocab_size", "width", "layers"}


def test_onnx_matches_torch(exported: Exported) -> None:
    model = CLIPModel.from_pretrained(exported.checkpoint).eval()
    pack = load_pack(exported.pack)
    tokenizer = Tokenizer.from_file(str(pack.tokenizer_file))
    images = _images(pack.preprocess.size)
    ids = export.encode_texts(tokenizer, TEXTS, pack.context_length, pack.pad_token)

    with torch.no_grad():
        # transformers' own path, pooling at the first end-of-text via the config.
        ref_image = model.get_image_features(pixel_values=torch.from_numpy(images))
        ref_text = model.get_text_features(input_ids=torch.from_numpy(ids).long())
    onnx_image = _run(pack.visual_model(), "image", images)
    onnx_text = _run(pack.textual_model(), "text", ids)

    pairs = (
        (ref_image.pooler_output.numpy(), onnx_image),
        (ref_text.pooler_output.numpy(), onnx_text),
    )
    for ref, got in pairs:
        assert got.dtype == np.float32 and got.shape == ref.shape
        cosine = np.sum(_unit(ref) * _unit(got), axis=1)
        assert cosine.min() >= 0.9999
    assert "fp32 ONNX vs torch cosine" in exported.stdout


def test_io_names_and_dynamic_axes(exported: Exported) -> None:
    for tower, name, dims in (("visual", "image", 4), ("textual", "text", 2)):
        graph = onnx.load(str(exported.pack / tower / "model.onnx")).graph
        (given,) = graph.input
        (result,) = graph.output
        assert given.name == name and result.name == "embedding"
        shape = given.type.tensor_type.shape.dim
        assert len(shape) == dims and shape[0].dim_param  # batch is symbolic
        if name == "text":
            assert given.type.tensor_type.elem_type == onnx.TensorProto.INT32
            assert shape[1].dim_param  # and so is the sequence length


def test_text_cut_after_end_of_text_embeds_the_same(exported: Exported) -> None:
    pack = load_pack(exported.pack)
    tokenizer = Tokenizer.from_file(str(pack.tokenizer_file))
    full = export.encode_texts(tokenizer, ["a red circle"], pack.context_length, pack.pad_token)
    eos = tokenizer.token_to_id("<|endoftext|>")
    cut = full[:, : int(np.argmax(full[0] == eos)) + 1]
    assert cut.shape == (1, 5)

    long = _run(pack.textual_model(), "text", full)
    short = _run(pack.textual_model(), "text", cut)
    assert np.abs(_unit(long) - _unit(short)).max() <= 1e-5
    batch = _run(pack.textual_model(), "text", np.repeat(cut, 3, axis=0))
    assert np.abs(_unit(batch) - _unit(short)).max() <= 1e-5


def test_tokenizer_wraps_and_lowercases(exported: Exported) -> None:
    tokenizer = Tokenizer.from_file(str(exported.pack / "textual" / "tokenizer.json"))
    config = json.loads((exported.pack / "textual" / "tokenizer_config.json").read_text())

    assert tokenizer.encode("A RED Circle").tokens == [
        "<|startoftext|>", "a", "red", "circle", "<|endoftext|>",
    ]  # fmt: skip
    assert config["model_max_length"] == 16
    assert config["bos_token"] == "<|startoftext|>" and config["eos_token"] == "<|endoftext|>"


def test_int8_variants_exist_and_stay_close(exported: Exported) -> None:
    pack = load_pack(exported.pack)
    images = _images(pack.preprocess.size)

    assert pack.visual_model("int8").name == "model_int8.onnx"
    assert pack.textual_model("int8").name == "model_int8.onnx"
    fp32 = _run(pack.visual_model(), "image", images)
    int8 = _run(pack.visual_model("int8"), "image", images)
    assert np.sum(_unit(fp32) * _unit(int8), axis=1).min() >= 0.99
    assert "int8 visual fidelity vs fp32" in exported.stdout
    assert "int8 textual fidelity vs fp32" in exported.stdout
    ops = {n.op_type for n in onnx.load(str(pack.visual_model("int8"))).graph.node}
    assert "Conv" in ops  # the patch embedding stays in float


def test_stand_in_tokenizer_is_clip_like() -> None:
    tokenizer = export.stand_in_bpe_tokenizer()
    encoding = tokenizer.encode("A photo of a Dog, 빨간 원")

    assert encoding.tokens[0] == "<|startoftext|>" and encoding.tokens[-1] == "<|endoftext|>"
    assert None not in encoding.ids
    assert tokenizer.get_vocab_size() < 49408


def test_vit_b_32_shape_is_the_standard_one() -> None:
    config = export.vit_b_32_config()
    vision, text = config.vision_config, config.text_config

    assert (vision.image_size, vision.patch_size, vision.hidden_size) == (224, 32, 768)
    assert vision.num_hidden_layers == 12
    assert (text.vocab_size, text.hidden_size, text.num_hidden_layers) == (49408, 512, 12)
    assert text.max_position_embeddings == 77
    assert config.projection_dim == 512


def test_committed_tiny_pack_answers_shape_queries() -> None:
    """The committed fixture (models.tiny_convnet) still ranks as it did when committed."""
    from models.train_tiny import evaluate

    pack = Path(__file__).resolve().parents[1] / "fixtures" / "tiny-pack"
    result = evaluate(pack)

    assert load_pack(pack).embed_dim == 64
    assert result.english >= 0.95 and result.korean >= 0.95, result.lines()
    assert result.image_top3 >= 0.9, result.lines()
