"""The tiny test CLIP: its shape, its word-level tokenizer and its training captions.

It is a real transformers ``CLIPModel``, only small, so :mod:`models.export` treats it exactly
like ViT-B/32. It knows the shapes world of :mod:`models.shapes` in English and Korean.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from tokenizers import Tokenizer, normalizers, pre_tokenizers
from tokenizers.models import WordLevel
from transformers import CLIPConfig

from models.export import BOS_TOKEN, EOS_TOKEN, add_clip_template
from models.shapes import (
    BACKGROUNDS,
    KOREAN_BACKGROUND,
    KOREAN_COLORS,
    KOREAN_SHAPES,
    KOREAN_SIZES,
    SHAPES,
    SIZES,
    ShapeSpec,
)

UNK_TOKEN = "[UNK]"
IMAGE_SIZE = 64
CONTEXT_LENGTH = 16
# Filler words that queries use and that carry no meaning here.
_FILLER = ("a", "an", "on", "photo", "picture", "of", "the", "shape", "사진", "그림", "모양")


def vocabulary() -> list[str]:
    """Every word a caption or a plain query about shapes uses, specials first."""
    words: list[str] = [BOS_TOKEN, EOS_TOKEN, UNK_TOKEN, *_FILLER]
    words += [*BACKGROUNDS, *SHAPES, *(s for s in SIZES if s != "medium")]
    words += [*KOREAN_COLORS.values(), *KOREAN_SHAPES.values(), KOREAN_BACKGROUND]
    words += [w for w in KOREAN_SIZES.values() if w]
    return list(dict.fromkeys(words))


def build_tokenizer() -> Tokenizer:
    """A lowercasing word-level tokenizer; unknown words become ``[UNK]``."""
    vocab = {word: index for index, word in enumerate(vocabulary())}
    tokenizer = Tokenizer(WordLevel(vocab, unk_token=UNK_TOKEN))
    # NFKC so Korean typed as decomposed jamo (macOS file dialogs) matches the vocabulary.
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    add_clip_template(tokenizer)
    return tokenizer


def tiny_config(tokenizer: Tokenizer) -> CLIPConfig:
    """About 0.7 M parameters: 64 px images in 8 px patches, 16-token captions."""
    eos, bos = tokenizer.token_to_id(EOS_TOKEN), tokenizer.token_to_id(BOS_TOKEN)
    return CLIPConfig(
        text_config={
            "vocab_size": tokenizer.get_vocab_size(),
            "hidden_size": 128,
            "intermediate_size": 256,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "max_position_embeddings": CONTEXT_LENGTH,
            "bos_token_id": bos,
            "eos_token_id": eos,
            "pad_token_id": eos,
        },
        vision_config={
            "image_size": IMAGE_SIZE,
            "patch_size": 8,
            "hidden_size": 128,
            "intermediate_size": 256,
            "num_hidden_layers": 3,
            "num_attention_heads": 4,
        },
        projection_dim=64,
    )


@dataclass(frozen=True)
class Mention:
    """The attributes a caption names; ``None`` means it says nothing about that one."""

    color: str | None
    shape: str | None
    size: str | None = None
    background: str | None = None

    def fits(self, spec: ShapeSpec) -> bool:
        return all(
            said is None or said == seen
            for said, seen in (
                (self.color, spec.color),
                (self.shape, spec.shape),
                (self.size, spec.size),
                (self.background, spec.background),
            )
        )


def _english(m: Mention, rng: random.Random) -> str:
    words = [w for w in (m.size, m.color, m.shape or "shape") if w]
    roll = rng.random()
    if roll < 0.7:
        words.insert(0, "an" if words[0][0] in "aeiou" else "a")
    elif roll < 0.85:
        words.insert(0, "a")
    if rng.random() < 0.1:
        words[:0] = ["a", rng.choice(("photo", "picture")), "of"]
    if m.background:
        words += ["on", m.background]
    return " ".join(words)


def _korean(m: Mention, rng: random.Random) -> str:
    words = [KOREAN_COLORS[m.background], KOREAN_BACKGROUND] if m.background else []
    if m.size:
        words.append(KOREAN_SIZES[m.size])
    if m.color:
        words.append(KOREAN_COLORS[m.color])
    words.append(KOREAN_SHAPES[m.shape] if m.shape else "모양")
    if rng.random() < 0.1:
        words.append("사진")
    return " ".join(words)


def training_caption(spec: ShapeSpec, rng: random.Random) -> tuple[str, Mention]:
    """A random true caption of ``spec`` in English or Korean, and what it claims.

    Size and background are often left out and sometimes colour or shape too, so a short query
    like "a red circle" learns to match every red circle, whatever it sits on.
    """
    roll = rng.random()
    color = None if roll < 0.05 else spec.color
    shape = None if 0.05 <= roll < 0.1 else spec.shape
    size = spec.size if spec.size != "medium" and rng.random() < 0.5 else None
    named_background = rng.random() < (0.15 if spec.background == "white" else 0.5)
    mention = Mention(color, shape, size, spec.background if named_background else None)
    text = _english(mention, rng) if rng.random() < 0.5 else _korean(mention, rng)
    return text, mention


def positives(specs: Sequence[ShapeSpec], mentions: Sequence[Mention]) -> np.ndarray:
    """[image, caption] matrix, 1 where the caption is true of the image."""
    return np.array([[m.fits(s) for m in mentions] for s in specs], dtype=np.float32)
