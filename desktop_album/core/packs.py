"""Model packs in the immich CLIP layout: read, validate, describe.

A pack is a folder::

    config.json                     open_clip model config (embed_dim, vision_cfg, text_cfg)
    visual/model.onnx               image tower: input ``image`` float32 N x 3 x S x S
    visual/preprocess_cfg.json      size, mean, std, interpolation, resize_mode
    textual/model.onnx              text tower: ``text`` int32 N x L, or input_ids + attention_mask
    textual/tokenizer.json          a Hugging Face ``tokenizers`` file
    textual/tokenizer_config.json   pad_token (and model_max_length)

Optional: ``visual/model_int8.onnx`` and ``textual/model_int8.onnx`` (dynamically quantised
variants written by ``models.export --int8``), and ``desktop_album.json`` with query helpers
(prompt templates, a text prefix). Nothing about image size, embedding size or context length is
assumed: every size is read from the pack.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_album.core.errors import PackError
from desktop_album.core.image_space import space_id

INTERPOLATIONS = ("bicubic", "bilinear", "nearest", "lanczos")
RESIZE_MODES = ("shortest", "squash", "longest")
PRECISIONS = ("fp32", "int8")

# Limits a sane pack stays far inside. A pack's JSON is read on every command: a huge file would
# be parsed each time, and an absurd size would be attempted for every photo.
MAX_JSON_BYTES = 1 << 20
IMAGE_SIZE_RANGE = (1, 4096)  # the test packs use 8 px; the danger is the top
EMBED_DIM_RANGE = (1, 16_384)
CONTEXT_LENGTH_RANGE = (1, 8_192)


@dataclass(frozen=True)
class PreprocessConfig:
    """How an image becomes the visual tower's input tensor."""

    size: int
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    interpolation: str = "bicubic"
    resize_mode: str = "shortest"


@dataclass(frozen=True)
class TextConfig:
    """How the text tower wants its tokens, decided from the pack's own files.

    ``canonicalize``: ``text_cfg.tokenizer_kwargs.clean == "canonicalize"`` (SigLIP, SigLIP 2):
    lowercase, ASCII punctuation removed, whitespace collapsed before tokenising.

    ``trim_after_eot``: the sequence may be cut right after the end-of-text token instead of
    being padded to ``context_length``. Only a causal tower pooled at the end-of-text token gives
    the same embedding either way, and open_clip's config says when a tower is not one: a
    ``no_causal_mask`` flag (SigLIP), a ``pool_type`` other than ``argmax``/``eot`` (SigLIP pools
    the last slot, others the first or the mean), or an ``hf_model_name`` (M-CLIP and NLLB-CLIP
    wrap bidirectional Hugging Face encoders). A plain OpenAI/OpenCLIP ``text_cfg`` (causal
    mask, argmax pooling: open_clip's defaults) allows it. The text graph's input decides the
    rest (a fixed sequence length, or an ``attention_mask`` input, never trims).
    """

    canonicalize: bool = False
    trim_after_eot: bool = True


@dataclass(frozen=True)
class QueryConfig:
    """Helpers for text queries: prompt templates averaged per query, and a prefix."""

    templates: tuple[str, ...] = ("{}",)
    text_prefix: str = ""


@dataclass(frozen=True)
class ModelPack:
    """A validated model pack on disk. Construct with :func:`load_pack`."""

    path: Path
    name: str
    embed_dim: int
    context_length: int
    preprocess: PreprocessConfig
    pad_token: str
    query: QueryConfig = field(default_factory=QueryConfig)
    text: TextConfig = field(default_factory=TextConfig)
    config: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def model_id(self) -> str:
        """The key under which this pack's image vectors are stored: its image space.

        Packs with the same image tower and preprocessing share it (and their vectors); see
        :mod:`desktop_album.core.image_space`. Computed once per pack object.
        """
        return self.image_space

    @functools.cached_property
    def image_space(self) -> str:
        return space_id(self.path, self.preprocess, self.embed_dim)

    @property
    def tokenizer_file(self) -> Path:
        return self.path / "textual" / "tokenizer.json"

    def visual_model(self, precision: str = "fp32") -> Path:
        return _variant(self.path / "visual", precision)

    def textual_model(self, precision: str = "fp32") -> Path:
        return _variant(self.path / "textual", precision)

    def has_precision(self, precision: str) -> bool:
        return precision == "fp32" or ((self.path / "visual" / f"model_{precision}.onnx").is_file())

    @property
    def license(self) -> str | None:
        """From config.json, else from what the downloader recorded in desktop_album.json."""
        value = self.config.get("license")
        if isinstance(value, str):
            return value
        extra = self.path / "desktop_album.json"
        try:
            recorded = json.loads(extra.read_text(encoding="utf-8")).get("license")
        except (OSError, ValueError, AttributeError):
            return None
        return recorded if isinstance(recorded, str) else None


def _variant(folder: Path, precision: str) -> Path:
    if precision not in PRECISIONS:
        raise PackError(
            f"Unknown precision {precision!r}; expected one of {', '.join(PRECISIONS)}."
        )
    if precision != "fp32":
        candidate = folder / f"model_{precision}.onnx"
        if candidate.is_file():
            return candidate
    return folder / "model.onnx"


def _read_json(path: Path, what: str) -> dict[str, Any]:
    if not path.is_file():
        raise PackError(f"Model pack file missing: {path} (expected {what}).")
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise PackError(
                f"Model pack file too large: {path} ({size:,} bytes; at most "
                f"{MAX_JSON_BYTES:,} expected for {what})."
            )
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackError(f"Model pack file unreadable: {path} ({exc}); expected {what}.") from exc
    except RecursionError as exc:  # thousands of nested brackets
        raise PackError(f"Model pack file {path} is nested too deeply; expected {what}.") from exc
    if not isinstance(data, dict):
        raise PackError(f"Model pack file {path} should hold a JSON object ({what}).")
    return data


def _positive_int(value: Any, path: Path, key: str) -> int:
    if isinstance(value, list) and value:
        value = value[0]
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise PackError(f"{path}: '{key}' must be a positive integer, found {value!r}.")
    return value


def _bounded_int(value: Any, path: Path, key: str, bounds: tuple[int, int]) -> int:
    number = _positive_int(value, path, key)
    low, high = bounds
    if not low <= number <= high:
        raise PackError(f"{path}: '{key}' is {number}; expected {low} to {high}.")
    return number


def _triple(value: Any, path: Path, key: str) -> tuple[float, float, float]:
    if (
        not isinstance(value, list)
        or len(value) != 3
        or not all(isinstance(v, (int, float)) for v in value)
    ):
        raise PackError(f"{path}: '{key}' must be a list of three numbers, found {value!r}.")
    numbers = (float(value[0]), float(value[1]), float(value[2]))
    if not all(math.isfinite(v) for v in numbers):
        # A NaN here makes every vector NaN, and search then silently finds nothing.
        raise PackError(f"{path}: '{key}' must be finite numbers, found {value!r}.")
    return numbers


def _context_length(config: dict[str, Any], tokenizer_cfg: dict[str, Any], pack: Path) -> int:
    text_cfg = config.get("text_cfg") or {}
    if not isinstance(text_cfg, dict):
        raise PackError(f"{pack / 'config.json'}: text_cfg must be an object.")
    for source, value in (
        ("config.json text_cfg.context_length", text_cfg.get("context_length")),
        ("textual/tokenizer_config.json model_max_length", tokenizer_cfg.get("model_max_length")),
    ):
        low, high = CONTEXT_LENGTH_RANGE
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        if value is not None and source.startswith("config"):
            raise PackError(
                f"{pack / 'config.json'}: text_cfg.context_length is {value!r}; expected a "
                f"whole number from {low} to {high}."
            )
    raise PackError(
        f"{pack / 'config.json'}: no text_cfg.context_length, and "
        f"{pack / 'textual' / 'tokenizer_config.json'} has no model_max_length."
    )


_EOT_POOLS = (None, "argmax", "eot")


def _text_config(config: dict[str, Any], pack: Path) -> TextConfig:
    text_cfg = config.get("text_cfg") or {}
    if not isinstance(text_cfg, dict):
        raise PackError(f"{pack / 'config.json'}: text_cfg must be an object.")
    kwargs = text_cfg.get("tokenizer_kwargs") or {}
    clean = kwargs.get("clean") if isinstance(kwargs, dict) else None
    bidirectional = bool(text_cfg.get("no_causal_mask")) or bool(text_cfg.get("hf_model_name"))
    return TextConfig(
        canonicalize=clean == "canonicalize",
        trim_after_eot=not bidirectional and text_cfg.get("pool_type") in _EOT_POOLS,
    )


def load_pack(path: str | Path) -> ModelPack:
    """Read and check a pack folder; raise :class:`PackError` naming the first problem."""
    pack = Path(path).expanduser()
    if not pack.is_dir():
        raise PackError(f"Model pack folder not found: {pack}.")
    config = _read_json(pack / "config.json", "the open_clip model config with embed_dim")
    embed_dim = _bounded_int(
        config.get("embed_dim"), pack / "config.json", "embed_dim", EMBED_DIM_RANGE
    )

    pre_path = pack / "visual" / "preprocess_cfg.json"
    pre = _read_json(pre_path, "size, mean, std, interpolation and resize_mode")
    interpolation = str(pre.get("interpolation", "bicubic")).lower()
    if interpolation not in INTERPOLATIONS:
        raise PackError(f"{pre_path}: unsupported interpolation {interpolation!r}.")
    resize_mode = str(pre.get("resize_mode", "shortest")).lower()
    if resize_mode not in RESIZE_MODES:
        raise PackError(f"{pre_path}: unsupported resize_mode {resize_mode!r}.")
    std = _triple(pre.get("std"), pre_path, "std")
    if min(std) <= 0:
        raise PackError(f"{pre_path}: 'std' must be positive numbers, found {list(std)!r}.")
    preprocess = PreprocessConfig(
        size=_bounded_int(pre.get("size"), pre_path, "size", IMAGE_SIZE_RANGE),
        mean=_triple(pre.get("mean"), pre_path, "mean"),
        std=std,
        interpolation=interpolation,
        resize_mode=resize_mode,
    )

    tok_cfg_path = pack / "textual" / "tokenizer_config.json"
    tok_cfg = _read_json(tok_cfg_path, "pad_token")
    pad = tok_cfg.get("pad_token")
    if isinstance(pad, dict):  # the AddedToken form some exports write
        pad = pad.get("content")
    if not isinstance(pad, str) or not pad:
        raise PackError(f"{tok_cfg_path}: 'pad_token' is missing.")

    for relative, what in (
        ("visual/model.onnx", "the image tower in ONNX format"),
        ("textual/model.onnx", "the text tower in ONNX format"),
        ("textual/tokenizer.json", "a Hugging Face tokenizers file"),
    ):
        if not (pack / relative).is_file():
            raise PackError(f"Model pack file missing: {pack / relative} (expected {what}).")

    query = QueryConfig()
    extra_path = pack / "desktop_album.json"
    if extra_path.is_file():
        extra = _read_json(extra_path, "query helpers")
        templates = extra.get("prompt_templates", ["{}"])
        if not isinstance(templates, list) or not all(
            isinstance(t, str) and "{}" in t for t in templates
        ):
            raise PackError(f"{extra_path}: prompt_templates must be strings containing '{{}}'.")
        query = QueryConfig(
            templates=tuple(templates) or ("{}",), text_prefix=str(extra.get("text_prefix", ""))
        )

    return ModelPack(
        path=pack.resolve(),
        name=pack.resolve().name,
        embed_dim=embed_dim,
        context_length=_context_length(config, tok_cfg, pack),
        preprocess=preprocess,
        pad_token=pad,
        query=query,
        text=_text_config(config, pack),
        config=config,
    )
