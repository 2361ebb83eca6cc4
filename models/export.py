"""Turn a transformers CLIP into a model pack in the immich CLIP layout.

    python -m models.export --hf PATH --out DIR [--int8] [--fp16]
    python -m models.export --random-weights --arch vit-b-32 --out DIR [--int8]

The pack's two ONNX graphs take ``image`` (float32 N x 3 x S x S) and ``text`` (int32 N x L,
both axes dynamic) and return ``embedding`` (float32 N x D, projected, not normalised). The text
graph pools at the first end-of-text token, so a query cut right after it embeds exactly like the
padded one at a fraction of the cost. Every export is checked against torch before it is kept.

Nothing here knows about the tiny test model: ``models.train_tiny`` calls :func:`export_pack`.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import torch
from PIL import Image
from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import BPE
from tokenizers.trainers import BpeTrainer
from torch import nn
from transformers import CLIPConfig, CLIPModel

# OpenAI CLIP's normalisation; HF checkpoints that say otherwise win.
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
BOS_TOKEN = "<|startoftext|>"
EOS_TOKEN = "<|endoftext|>"
FP32_MIN_COSINE = 0.9999
SEQ_TOLERANCE = 1e-5


# --- architecture and tokenizer -----------------------------------------------------------------


def vit_b_32_config() -> CLIPConfig:
    """The standard OpenAI ViT-B/32 CLIP shape, defined here so nothing is downloaded."""
    return CLIPConfig(
        text_config={
            "vocab_size": 49408,
            "hidden_size": 512,
            "intermediate_size": 2048,
            "num_hidden_layers": 12,
            "num_attention_heads": 8,
            "max_position_embeddings": 77,
            "hidden_act": "quick_gelu",
            "bos_token_id": 49406,
            "eos_token_id": 49407,
            "pad_token_id": 49407,
        },
        vision_config={
            "image_size": 224,
            "patch_size": 32,
            "hidden_size": 768,
            "intermediate_size": 3072,
            "num_hidden_layers": 12,
            "num_attention_heads": 12,
            "hidden_act": "quick_gelu",
        },
        projection_dim=512,
    )


ARCHS = {"vit-b-32": vit_b_32_config}


# Word groups for the stand-in tokenizer's training sentences.
_STAND_IN_WORDS = {
    "adjective": "red green blue yellow old young small large happy dark bright snowy sunny",
    "noun": "cat dog car tree house beach mountain child bird boat flower city street",
    "verb": "sitting standing running sleeping parked waiting playing",
    "place": "park garden kitchen forest river road field lake market station sky",
}


def _stand_in_sentences(count: int, rng: random.Random) -> list[str]:
    adjectives, nouns, verbs, places = (w.split() for w in _STAND_IN_WORDS.values())
    return [
        f"a photo of a {rng.choice(adjectives)} {rng.choice(nouns)} {rng.choice(verbs)} "
        f"in the {rng.choice(places)}"
        for _ in range(count)
    ]


def stand_in_bpe_tokenizer(seed: int = 0) -> Tokenizer:
    """A small CLIP-like BPE (lowercase, byte-level, ``</w>`` suffix) for random-weight packs.

    The real 49408-entry vocabulary cannot be downloaded here. Speed depends only on the model's
    shape, which keeps the full embedding table, so a small trained vocabulary is enough.
    """
    tokenizer = Tokenizer(BPE(end_of_word_suffix="</w>"))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Whitespace(), pre_tokenizers.ByteLevel(add_prefix_space=False)]
    )
    tokenizer.decoder = decoders.ByteLevel()
    trainer = BpeTrainer(
        vocab_size=2000,
        special_tokens=[BOS_TOKEN, EOS_TOKEN],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        end_of_word_suffix="</w>",
        show_progress=False,
    )
    tokenizer.train_from_iterator(_stand_in_sentences(600, random.Random(seed)), trainer)
    add_clip_template(tokenizer)
    return tokenizer


def add_clip_template(tokenizer: Tokenizer) -> None:
    """Wrap every encoding in ``<|startoftext|> ... <|endoftext|>`` as CLIP expects."""
    bos, eos = tokenizer.token_to_id(BOS_TOKEN), tokenizer.token_to_id(EOS_TOKEN)
    if bos is None or eos is None:
        raise ValueError(f"Tokenizer lacks {BOS_TOKEN} or {EOS_TOKEN}.")
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{BOS_TOKEN} $A {EOS_TOKEN}",
        special_tokens=[(BOS_TOKEN, bos), (EOS_TOKEN, eos)],
    )


def encode_texts(tokenizer: Tokenizer, texts: Sequence[str], length: int, pad: str) -> np.ndarray:
    """Token ids as the app makes them: padded with ``pad`` and truncated to ``length``."""
    tok = Tokenizer.from_str(tokenizer.to_str())
    pad_id = tok.token_to_id(pad)
    if pad_id is None:
        raise ValueError(f"Pad token {pad!r} is not in the vocabulary.")
    tok.enable_padding(length=length, pad_id=pad_id, pad_token=pad)
    tok.enable_truncation(max_length=length)
    return np.array([e.ids for e in tok.encode_batch(list(texts))], dtype=np.int32)


# --- preprocessing ------------------------------------------------------------------------------


def clip_crop(image: Image.Image, size: int) -> Image.Image:
    """Resize the shortest side to ``size`` (bicubic) and cut the centred square."""
    w, h = image.size
    scale = size / min(w, h)
    new_w, new_h = max(size, round(w * scale)), max(size, round(h * scale))
    image = image.resize((new_w, new_h), Image.Resampling.BICUBIC)
    left, top = round((new_w - size) / 2), round((new_h - size) / 2)
    return image.crop((left, top, left + size, top + size))


def clip_preprocess(
    image: Image.Image,
    size: int,
    mean: Sequence[float] = CLIP_MEAN,
    std: Sequence[float] = CLIP_STD,
) -> np.ndarray:
    """CLIP's image transform in PIL: shortest side to ``size`` (bicubic), centre crop, scale.

    Returns float32 3 x size x size. Training and evaluation both use this, so the model learns
    exactly the pixels the app will feed it.
    """
    array = np.asarray(clip_crop(image.convert("RGB"), size), dtype=np.float32) / 255.0
    array = (array - np.asarray(mean, dtype=np.float32)) / np.asarray(std, dtype=np.float32)
    return np.ascontiguousarray(array.transpose(2, 0, 1))


# --- the two towers as exported -----------------------------------------------------------------


class ImageTower(nn.Module):
    """Pixels to projected image embedding (not normalised)."""

    def __init__(self, model: CLIPModel) -> None:
        super().__init__()
        self.vision_model = model.vision_model
        self.visual_projection = model.visual_projection

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        pooled = self.vision_model(pixel_values=image).pooler_output
        return self.visual_projection(pooled)


class TextTower(nn.Module):
    """int32 token ids to projected text embedding, pooled at the first end-of-text token.

    Pooling is explicit rather than left to the checkpoint's ``eos_token_id``, which old OpenAI
    configs set to 2 (the "highest id" fallback). With causal attention, whatever follows the
    first end-of-text token cannot change it, so the sequence may be cut right after it.
    """

    def __init__(self, model: CLIPModel, eos_token_id: int) -> None:
        super().__init__()
        self.text_model = model.text_model
        self.text_projection = model.text_projection
        self.eos_token_id = eos_token_id

    def forward(self, text: torch.Tensor) -> torch.Tensor:
        ids = text.to(torch.int64)
        hidden = self.text_model(input_ids=ids).last_hidden_state
        first_eos = (ids == self.eos_token_id).to(torch.int32).argmax(dim=-1)
        pooled = hidden[torch.arange(hidden.shape[0], device=hidden.device), first_eos]
        return self.text_projection(pooled)


def _export(module: nn.Module, example: torch.Tensor, path: Path, name: str, dims: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad(), warnings.catch_warnings():
        # torch's own exporter internals trip pytree deprecations; nothing to act on here.
        warnings.simplefilter("ignore", FutureWarning)
        torch.onnx.export(
            module,
            (example,),
            str(path),
            input_names=[name],
            dynamo=True,
            dynamic_shapes={name: dims},
            # One self-contained file per tower: the pack layout names exactly model.onnx.
            external_data=False,
            optimize=True,
            verbose=False,
        )
    _name_output(path, "embedding")


def _name_output(path: Path, name: str) -> None:
    """Call the single graph output ``name``.

    Not done through ``output_names``: the exporter names values after the aten ops that make
    them, so an ``aten.embedding`` lookup already owns "embedding" and the graph would define it
    twice. Internal values of that name are renamed first.
    """
    import onnx

    model = onnx.load(str(path))
    graph = model.graph
    old = graph.output[0].name
    renames = {name: f"{name}_internal", old: name}
    for node in graph.node:
        node.input[:] = [renames.get(v, v) for v in node.input]
        node.output[:] = [renames.get(v, v) for v in node.output]
    for info in graph.value_info:
        info.name = renames.get(info.name, info.name)
    # Stack traces and fx names per node: a third of a small model's file, and they carry the
    # exporting machine's paths.
    for node in graph.node:
        del node.metadata_props[:]
        node.doc_string = ""
    graph.output[0].name = name
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def session(path: Path, threads: int = 2) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _normalise(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(_normalise(a) * _normalise(b), axis=-1)


# --- checks and the pack ------------------------------------------------------------------------


@dataclass
class ExportReport:
    """What the export measured; every cosine is between matching rows."""

    image_cosine_min: float = 0.0
    text_cosine_min: float = 0.0
    seq_cut_max_diff: float = 0.0
    int8: dict[str, tuple[float, float]] = field(default_factory=dict)  # tower -> (min, mean)
    sizes: dict[str, int] = field(default_factory=dict)  # relative path -> bytes

    def lines(self) -> list[str]:
        out = [
            f"fp32 ONNX vs torch cosine: image min {self.image_cosine_min:.6f}, "
            f"text min {self.text_cosine_min:.6f}",
            f"text cut after end-of-text vs padded: max |diff| {self.seq_cut_max_diff:.2e}",
        ]
        out += [
            f"int8 {tower} fidelity vs fp32: cosine min {lo:.5f}, mean {mean:.5f}"
            for tower, (lo, mean) in self.int8.items()
        ]
        total = sum(self.sizes.values())
        out.append(f"pack size: {total / 1e6:.2f} MB ({len(self.sizes)} files)")
        return out


def sample_images(count: int = 8, seed: int = 0) -> list[Image.Image]:
    """Varied check images: shapes photos at assorted sizes plus smooth noise."""
    from models.shapes import COLORS, SHAPES, random_spec, render  # PIL-only

    rng = random.Random(seed)
    images = [
        render(
            random_spec(rng.choice(COLORS), rng.choice(SHAPES), rng),
            rng.randint(96, 400),
            rng.randint(96, 400),
            rng,
        )
        for _ in range(count - 2)
    ]
    noise = np.random.default_rng(seed).integers(0, 256, (2, 48, 48, 3), dtype=np.uint8)
    images += [Image.fromarray(n).resize((300, 200), Image.Resampling.BICUBIC) for n in noise]
    return images


SAMPLE_TEXTS = (
    "a red circle",
    "a photo of a dog",
    "a small blue square on yellow",
    "빨간 원",
    "",
    "a very long description of a sunny beach with children playing near the water " * 3,
)


def _quantize_int8(src: Path, dst: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The exporter's shape annotations contradict the quantiser's own shape inference once it
    # rewrites the graph; without them it infers everything afresh.
    model = onnx.load(str(src))
    del model.graph.value_info[:]
    plain = dst.with_name(dst.stem + "_plain.onnx")
    onnx.save(model, str(plain))
    try:
        # MatMul only: quantising the patch Conv made the image tower slower (see NOTES.md).
        quantize_dynamic(plain, dst, op_types_to_quantize=["MatMul"], weight_type=QuantType.QInt8)
    finally:
        plain.unlink()


def _convert_fp16(src: Path, dst: Path) -> None:
    import onnx
    from onnxruntime.transformers.float16 import convert_float_to_float16

    model = convert_float_to_float16(onnx.load(str(src)), keep_io_types=True)
    onnx.save(model, str(dst))


def export_pack(
    model: CLIPModel,
    tokenizer: Tokenizer,
    out: Path,
    *,
    mean: Sequence[float] = CLIP_MEAN,
    std: Sequence[float] = CLIP_STD,
    pad_token: str = EOS_TOKEN,
    bos_token: str = BOS_TOKEN,
    eos_token: str = EOS_TOKEN,
    license: str = "unknown",
    source: str = "unknown",
    int8: bool = False,
    fp16: bool = False,
    check_images: Sequence[Image.Image] | None = None,
    check_texts: Sequence[str] = SAMPLE_TEXTS,
    image_tower: nn.Module | None = None,
    vision_cfg: dict[str, Any] | None = None,
) -> ExportReport:
    """Write ``model`` and ``tokenizer`` as a pack in ``out`` and verify it against torch.

    Raises:
        AssertionError: the ONNX graphs disagree with torch, or the text graph is not truly
            dynamic in sequence length.
    """
    model = model.eval().float()
    vcfg, tcfg = model.config.vision_config, model.config.text_config
    size, context = vcfg.image_size, tcfg.max_position_embeddings
    eos_id = tokenizer.token_to_id(eos_token)
    if eos_id is None:
        raise ValueError(f"End-of-text token {eos_token!r} is not in the tokenizer.")
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "visual").mkdir(parents=True)
    (out / "textual").mkdir(parents=True)

    config = {
        "embed_dim": model.config.projection_dim,
        "vision_cfg": vision_cfg
        or {
            "image_size": size,
            "patch_size": vcfg.patch_size,
            "width": vcfg.hidden_size,
            "layers": vcfg.num_hidden_layers,
        },
        "text_cfg": {
            "context_length": context,
            "vocab_size": tcfg.vocab_size,
            "width": tcfg.hidden_size,
            "layers": tcfg.num_hidden_layers,
        },
        "license": license,
        "source": source,
    }
    _write_json(out / "config.json", config)
    _write_json(
        out / "visual" / "preprocess_cfg.json",
        {
            "size": [size, size],
            "mode": "RGB",
            "mean": [float(m) for m in mean],
            "std": [float(s) for s in std],
            "interpolation": "bicubic",
            "resize_mode": "shortest",
            "fill_color": 0,
        },
    )
    clean = Tokenizer.from_str(tokenizer.to_str())
    clean.no_padding()
    clean.no_truncation()
    clean.save(str(out / "textual" / "tokenizer.json"))
    _write_json(
        out / "textual" / "tokenizer_config.json",
        {
            "bos_token": bos_token,
            "eos_token": eos_token,
            "pad_token": pad_token,
            "model_max_length": context,
        },
    )

    # A model may bring its own image tower (the tiny test model uses a small ConvNet).
    image_tower = (image_tower or ImageTower(model)).eval()
    text_tower = TextTower(model, eos_id).eval()
    batch = torch.export.Dim("batch", min=1, max=4096)
    seq = torch.export.Dim("seq", min=2, max=context)
    visual, textual = out / "visual" / "model.onnx", out / "textual" / "model.onnx"
    _export(image_tower, torch.zeros(2, 3, size, size), visual, "image", {0: batch})
    _export(
        text_tower,
        torch.from_numpy(encode_texts(clean, ["a", "b"], context, pad_token)),
        textual,
        "text",
        {0: batch, 1: seq},
    )

    images = np.stack(
        [clip_preprocess(im, size, mean, std) for im in (check_images or sample_images())]
    )
    ids = encode_texts(clean, check_texts, context, pad_token)
    report = ExportReport()
    with torch.no_grad():
        torch_img = image_tower(torch.from_numpy(images)).numpy()
        torch_txt = text_tower(torch.from_numpy(ids)).numpy()
    onnx_img = session(visual).run(None, {"image": images})[0]
    text_session = session(textual)
    onnx_txt = text_session.run(None, {"text": ids})[0]
    report.image_cosine_min = float(_cosines(onnx_img, torch_img).min())
    report.text_cosine_min = float(_cosines(onnx_txt, torch_txt).min())
    assert report.image_cosine_min >= FP32_MIN_COSINE, report.lines()
    assert report.text_cosine_min >= FP32_MIN_COSINE, report.lines()

    # Cut each query right after its first end-of-text token, as the app does, one at a time
    # so the lengths differ (a real dynamic axis, not one traced at a single size).
    diffs = []
    for row, full in zip(ids, onnx_txt, strict=True):
        cut = row[: int(np.argmax(row == eos_id)) + 1][None, :]
        short = text_session.run(None, {"text": cut})[0][0]
        diffs.append(float(np.abs(_normalise(short) - _normalise(full)).max()))
    report.seq_cut_max_diff = max(diffs)
    assert report.seq_cut_max_diff <= SEQ_TOLERANCE, report.lines()

    for tower, src, feed, reference in (
        ("visual", visual, {"image": images}, onnx_img),
        ("textual", textual, {"text": ids}, onnx_txt),
    ):
        if int8:
            dst = src.with_name("model_int8.onnx")
            _quantize_int8(src, dst)
            cos = _cosines(session(dst).run(None, feed)[0], reference)
            report.int8[tower] = (float(cos.min()), float(cos.mean()))
        if fp16:
            _convert_fp16(src, src.with_name("model_fp16.onnx"))

    report.sizes = {
        str(p.relative_to(out)): p.stat().st_size for p in sorted(out.rglob("*")) if p.is_file()
    }
    return report


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# --- loading sources ----------------------------------------------------------------------------


def load_hf(path: Path) -> tuple[CLIPModel, Tokenizer, dict[str, Any]]:
    """A local transformers CLIP checkpoint folder: model, tokenizer and export keywords."""
    model = CLIPModel.from_pretrained(str(path), attn_implementation="eager")
    if (path / "tokenizer.json").is_file():
        tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    else:
        from transformers import AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(str(path)).backend_tokenizer
    kwargs: dict[str, Any] = {}
    tok_cfg_path = path / "tokenizer_config.json"
    tok_cfg = json.loads(tok_cfg_path.read_text("utf-8")) if tok_cfg_path.is_file() else {}
    for key in ("pad_token", "bos_token", "eos_token"):
        value = tok_cfg.get(key)
        value = value.get("content") if isinstance(value, dict) else value
        if isinstance(value, str):
            kwargs[key] = value
    pre_path = path / "preprocessor_config.json"
    if pre_path.is_file():
        pre = json.loads(pre_path.read_text("utf-8"))
        if "image_mean" in pre and "image_std" in pre:
            kwargs["mean"], kwargs["std"] = pre["image_mean"], pre["image_std"]
    return model, tokenizer, kwargs


def random_model(arch: str, seed: int = 0) -> tuple[CLIPModel, Tokenizer]:
    """A randomly initialised CLIP of a standard shape, with a stand-in tokenizer."""
    torch.manual_seed(seed)
    tokenizer = stand_in_bpe_tokenizer(seed)
    config = ARCHS[arch]()
    # Pool where the stand-in vocabulary puts end-of-text, keeping the real table size.
    config.text_config.eos_token_id = tokenizer.token_to_id(EOS_TOKEN)
    config.text_config.bos_token_id = tokenizer.token_to_id(BOS_TOKEN)
    config.text_config.pad_token_id = tokenizer.token_to_id(EOS_TOKEN)
    return CLIPModel(config).eval(), tokenizer


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.export", description=__doc__)
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("--hf", type=Path, help="local transformers CLIP checkpoint folder")
    src.add_argument("--random-weights", action="store_true", help="random init of --arch")
    parser.add_argument("--arch", choices=sorted(ARCHS), default="vit-b-32")
    parser.add_argument("--out", type=Path, required=True, help="pack folder to (re)write")
    parser.add_argument("--int8", action="store_true", help="also write model_int8.onnx")
    parser.add_argument("--fp16", action="store_true", help="also write model_fp16.onnx")
    parser.add_argument("--license", default=None, help="license text for config.json")
    parser.add_argument("--source", default=None, help="where the weights come from")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    if args.hf:
        model, tokenizer, kwargs = load_hf(args.hf)
        kwargs["source"] = args.source or f"transformers checkpoint {args.hf.resolve().name}"
        kwargs["license"] = args.license or "see the checkpoint's model card"
    else:
        model, tokenizer = random_model(args.arch)
        kwargs = {
            "source": args.source or f"random weights, {args.arch} shape (models.export)",
            "license": args.license or "MIT (random weights, no training data)",
        }
    report = export_pack(model, tokenizer, args.out, int8=args.int8, fp16=args.fp16, **kwargs)
    print(f"wrote {args.out}")
    for line in report.lines():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
