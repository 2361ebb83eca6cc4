"""Tiny test packs for the text-tower families, trained against the committed frozen image tower.

    python -m models.train_families --family siglip --out tests/fixtures/tiny-siglip
    python -m models.train_families --family mclip --out tests/fixtures/tiny-mclip
    python -m models.train_families --family nllb --out tests/fixtures/tiny-nllb

Every pack reuses ``tests/fixtures/tiny-pack``'s ``visual/`` folder byte for byte (so they all
share one image space, as XLM-Roberta-Large-Vit-B-32 shares OpenAI's ViT-B/32) and trains only a
text tower onto its fixed image embeddings: about a minute on one thread. Each tower has the
conventions of its family, so the app must load it exactly as the reference does:

- ``siglip``: bidirectional attention (no causal mask, pads attended), pooled at the last
  position, padded with ``<pad>`` to exactly ``context_length``; a cased tokenizer behind
  ``text_cfg.tokenizer_kwargs.clean == "canonicalize"``. A trimmed sequence or another pad id
  moves the embedding.
- ``mclip``: ``input_ids`` + ``attention_mask`` (int64), masked mean pooling, as M-CLIP's XLM-R.
- ``nllb``: one ``text`` input, pads masked inside the graph, mean pooling; every text starts
  with its FLORES-200 code (``kor_Hang``, ``eng_Latn``), as NLLB-CLIP.

Train with one thread (NOTES.md: two threads were 14x slower on a shared 2-core box).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
import torch.nn.functional as F
from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
from tokenizers.models import WordLevel
from torch import nn

from models.export import CLIP_MEAN, CLIP_STD, _name_output
from models.tiny_clip import positives, training_caption, vocabulary
from models.train_tiny import image_pool

FAMILIES = ("siglip", "mclip", "nllb")
VISUAL_SOURCE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "tiny-pack"
CONTEXT_LENGTH = 16
WIDTH = 96
# The codes the tiny NLLB vocabulary knows; real NLLB has all 200.
FLORES_CODES = ("eng_Latn", "kor_Hang", "jpn_Jpan", "zho_Hans", "zho_Hant", "rus_Cyrl")
_WORDS = [w for w in vocabulary() if w not in ("<|startoftext|>", "<|endoftext|>", "[UNK]")]


# --- tokenizers ---------------------------------------------------------------------------------


def build_tokenizer(family: str) -> tuple[Tokenizer, dict[str, str]]:
    """The family's word-level tokenizer and its tokenizer_config.json."""
    if family == "siglip":
        specials = ["<pad>", "</s>", "<unk>"]
        vocab = {w: i for i, w in enumerate([*specials, *_WORDS])}
        tok = Tokenizer(WordLevel(vocab, unk_token="<unk>"))
        # Cased on purpose, like SigLIP's SentencePiece: "RED" is not "red" unless the app
        # canonicalises the query first.
        tok.normalizer = normalizers.NFKC()
        tok.pre_tokenizer = pre_tokenizers.Whitespace()
        tok.post_processor = processors.TemplateProcessing(
            single="$A </s>", special_tokens=[("</s>", vocab["</s>"])]
        )
        return tok, {"pad_token": "<pad>", "eos_token": "</s>", "unk_token": "<unk>"}
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    codes = list(FLORES_CODES) if family == "nllb" else []
    vocab = {w: i for i, w in enumerate([*specials, *codes, *_WORDS])}
    tok = Tokenizer(WordLevel(vocab, unk_token="<unk>"))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    if codes:  # matched in the raw text before anything else, as NLLB's language codes are
        from tokenizers import AddedToken

        tok.add_special_tokens([AddedToken(c, normalized=False) for c in codes])
        tok.post_processor = processors.TemplateProcessing(
            single="$A </s>", special_tokens=[("</s>", vocab["</s>"])]
        )
    else:
        tok.post_processor = processors.TemplateProcessing(
            single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", vocab["</s>"])]
        )
    config = {"pad_token": "<pad>", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}
    return tok, config


def prefixed(family: str, caption: str) -> str:
    """What the app feeds the tokenizer for ``caption`` (NLLB: the FLORES code glued in front)."""
    if family != "nllb":
        return caption
    korean = any("\uac00" <= ch <= "\ud7a3" for ch in caption)
    return ("kor_Hang" if korean else "eng_Latn") + caption


def encode(tok: Tokenizer, pad_id: int, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Ids padded to CONTEXT_LENGTH with ``pad_id``, and the attention mask."""
    ids = np.full((len(texts), CONTEXT_LENGTH), pad_id, dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, enc in enumerate(tok.encode_batch(list(texts))):
        n = min(len(enc.ids), CONTEXT_LENGTH)
        ids[row, :n] = enc.ids[:n]
        mask[row, :n] = 1
    return ids, mask


# --- towers -------------------------------------------------------------------------------------


class Block(nn.Module):
    """Pre-norm transformer block; ``bias`` is added to the attention logits (0 or -inf-ish)."""

    def __init__(self, width: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.qkv, self.out = nn.Linear(width, 3 * width), nn.Linear(width, width)
        self.mlp = nn.Sequential(
            nn.Linear(width, 2 * width), nn.GELU(), nn.Linear(2 * width, width)
        )

    def forward(self, x: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
        n, t, w = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(n, t, 3, self.heads, w // self.heads).unbind(2)
        q, k, v = (a.transpose(1, 2) for a in (q, k, v))
        logits = q @ k.transpose(-1, -2) / math.sqrt(w // self.heads)
        if bias is not None:
            logits = logits + bias
        attended = (logits.softmax(-1) @ v).transpose(1, 2).reshape(n, t, w)
        x = x + self.out(attended)
        return x + self.mlp(self.ln2(x))


class FamilyTextTower(nn.Module):
    """Token ids (and a mask, for M-CLIP) to a projected text embedding."""

    def __init__(self, family: str, vocab_size: int, pad_id: int, dim: int) -> None:
        super().__init__()
        self.family, self.pad_id = family, pad_id
        self.embed = nn.Embedding(vocab_size, WIDTH)
        self.position = nn.Parameter(torch.randn(CONTEXT_LENGTH, WIDTH) * 0.02)
        self.blocks = nn.ModuleList([Block(WIDTH, 4) for _ in range(2)])
        self.norm = nn.LayerNorm(WIDTH)
        self.proj = nn.Linear(WIDTH, dim)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        ids = ids.to(torch.int64)
        x = self.embed(ids) + self.position[: ids.shape[1]]
        if self.family == "siglip":
            keep = None  # SigLIP: no mask at all; the pads are part of the input
        elif mask is not None:
            keep = mask.to(torch.float32)
        else:  # NLLB-CLIP as open_clip exports it: the mask comes from the pad id
            keep = (ids != self.pad_id).to(torch.float32)
        bias = None if keep is None else ((1.0 - keep) * -1e4)[:, None, None, :]
        for block in self.blocks:
            x = block(x, bias)
        x = self.norm(x)
        if keep is None:
            pooled = x[:, -1]  # fixed-position pooling: the last slot of the padded sequence
        else:
            weights = keep[:, :, None]
            pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return self.proj(pooled)


# --- training -----------------------------------------------------------------------------------


def frozen_image_embeddings(crops: np.ndarray) -> np.ndarray:
    """Unit image embeddings of uint8 N x S x S x 3 crops, through the committed image tower."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        str(VISUAL_SOURCE / "visual" / "model.onnx"), options, providers=["CPUExecutionProvider"]
    )
    mean = np.asarray(CLIP_MEAN, np.float32).reshape(1, 3, 1, 1)
    std = np.asarray(CLIP_STD, np.float32).reshape(1, 3, 1, 1)
    out = []
    for start in range(0, len(crops), 256):
        batch = crops[start : start + 256].transpose(0, 3, 1, 2).astype(np.float32) / 255.0
        out.append(session.run(None, {"image": (batch - mean) / std})[0])
    emb = np.concatenate(out)
    return emb / np.linalg.norm(emb, axis=1, keepdims=True)


def train(family: str, steps: int, seed: int, pool: int) -> tuple[FamilyTextTower, Tokenizer, dict]:
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    start = time.perf_counter()
    specs, crops = image_pool(pool, seed, 64, workers=1)
    images = torch.from_numpy(frozen_image_embeddings(crops)).float()
    print(f"{len(specs)} photos embedded in {time.perf_counter() - start:.0f} s", flush=True)
    tok, tok_cfg = build_tokenizer(family)
    pad_id = tok.token_to_id(tok_cfg["pad_token"])
    tower = FamilyTextTower(family, tok.get_vocab_size(), pad_id, images.shape[1])
    optimiser = torch.optim.AdamW(tower.parameters(), lr=2e-3, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / 50) * 0.5 * (1 + math.cos(math.pi * s / steps))
    )
    rng = random.Random(f"captions-{family}-{seed}")
    for step in range(steps):
        index = rng.sample(range(len(specs)), 128)
        batch_specs = [specs[i] for i in index]
        captions = [training_caption(s, rng) for s in batch_specs]
        ids, mask = encode(tok, pad_id, [prefixed(family, c) for c, _ in captions])
        targets = torch.from_numpy(positives(batch_specs, [m for _, m in captions]))
        text = F.normalize(tower(torch.from_numpy(ids), torch.from_numpy(mask)), dim=-1)
        logits = 30.0 * images[index] @ text.T
        loss = _soft_ce(logits, targets) + _soft_ce(logits.T, targets.T)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"step {step:4d} loss {loss.item():.3f} {time.perf_counter() - start:.0f} s")
    return tower.eval(), tok, tok_cfg


def _soft_ce(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    has = targets.sum(1) > 0
    t = targets[has] / targets[has].sum(1, keepdim=True)
    return -(t * F.log_softmax(logits[has], dim=1)).sum(1).mean()


# --- export -------------------------------------------------------------------------------------


def export(family: str, tower: FamilyTextTower, tok: Tokenizer, tok_cfg: dict, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(VISUAL_SOURCE / "visual", out / "visual")
    (out / "textual").mkdir(parents=True)
    tok.save(str(out / "textual" / "tokenizer.json"))
    _write(out / "textual" / "tokenizer_config.json", {**tok_cfg, "model_max_length": 16})
    text_cfg: dict = {"context_length": CONTEXT_LENGTH, "vocab_size": tok.get_vocab_size()}
    text_cfg |= {"width": WIDTH, "layers": len(tower.blocks)}
    if family == "siglip":  # as open_clip's ViT-B-16-SigLIP2 config says it
        text_cfg |= {
            "tokenizer_kwargs": {"clean": "canonicalize"},
            "no_causal_mask": True,
            "pool_type": "last",
        }
    elif family == "mclip":
        text_cfg |= {"hf_model_name": "tiny-xlm-roberta", "pool_type": "mean"}
    else:
        text_cfg |= {"hf_model_name": "tiny-nllb-200", "hf_tokenizer_name": "tiny-nllb-200"}
    source = json.loads((VISUAL_SOURCE / "config.json").read_text("utf-8"))
    config = {
        "embed_dim": source["embed_dim"],
        "vision_cfg": source["vision_cfg"],
        "text_cfg": text_cfg,
        "license": "MIT",
        "source": f"models.train_families --family {family} (text tower only; visual/ is "
        "tests/fixtures/tiny-pack's)",
    }
    _write(out / "config.json", config)

    path = out / "textual" / "model.onnx"
    example = torch.ones((2, CONTEXT_LENGTH), dtype=torch.int64)
    seq = torch.export.Dim("seq", min=1, max=CONTEXT_LENGTH)
    batch = torch.export.Dim("batch", min=1, max=1024)
    if family == "mclip":
        # Two distinct tensors: the exporter would otherwise take them for one input.
        mask_example = torch.ones((2, CONTEXT_LENGTH), dtype=torch.int64)
        mask_example[1, 8:] = 0
        args: tuple = (example.clone(), mask_example)
        names = ["input_ids", "attention_mask"]
        shapes: dict = {"ids": {0: batch, 1: seq}, "mask": {0: batch, 1: seq}}
    else:
        args, names = (example,), ["text"]
        shapes = {"ids": {0: batch, 1: seq}}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            tower,
            args,
            str(path),
            input_names=names,
            dynamo=True,
            dynamic_shapes=shapes,
            external_data=False,
            optimize=True,
            verbose=False,
        )
    _name_output(path, "embedding")
    _check(family, tower, tok, tok_cfg, path)


def _check(family: str, tower: FamilyTextTower, tok: Tokenizer, tok_cfg: dict, path: Path) -> None:
    pad_id = tok.token_to_id(tok_cfg["pad_token"])
    ids, mask = encode(tok, pad_id, [prefixed(family, "a red circle"), prefixed(family, "빨간 원")])
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = {"input_ids": ids, "attention_mask": mask} if family == "mclip" else {"text": ids}
    got = session.run(None, feeds)[0]
    with torch.no_grad():
        want = tower(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    diff = float(np.abs(got - want).max())
    assert diff < 1e-4, f"ONNX and torch disagree by {diff}"
    print(f"exported {path} (ONNX vs torch max |diff| {diff:.1e})")


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=FAMILIES, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--pool", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    tower, tok, tok_cfg = train(args.family, args.steps, args.seed, args.pool)
    export(args.family, tower, tok, tok_cfg, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
