"""Text and image towers at each family's real shape, random weights, as ONNX (for benchmarks).

    python -m models.family_shapes --text siglip2-b --out benchmarks/work/families

Speed and memory depend on the shape, not the weights. The text shapes are those of the packs
in the catalog: OpenAI ViT-B/32's text transformer (49,408-token BPE table), SigLIP 2's
(Gemma's 256,000-token table, width 768), M-CLIP's XLM-R Large (250,002 tokens, 24 layers) and
NLLB-CLIP base's NLLB-200-distilled-600M encoder (256,206 tokens, width 1024). Image towers: ViT
at the given patch size and resolution (the SigLIP attention-pool head is left out: one query
token, no measurable cost next to 12 layers).

Towers over 2 GB are written with their weights in ``model.onnx.data`` next to the graph.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn


@dataclass(frozen=True)
class TextShape:
    name: str
    context_length: int
    inputs: tuple[str, ...]  # ONNX input names
    build: Callable[[], nn.Module]


class _Pooled(nn.Module):
    """A Hugging Face encoder's ``last_hidden_state``, mean-pooled (M-CLIP) and projected."""

    def __init__(self, encoder: nn.Module, width: int, dim: int, masked: bool) -> None:
        super().__init__()
        self.encoder, self.proj, self.masked = encoder, nn.Linear(width, dim), masked

    def forward(self, ids: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        if mask is None:
            mask = (ids != 1).to(torch.int64)  # pad id 1 (XLM-R, NLLB)
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        return self.proj((hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0))


class _Output(nn.Module):
    def __init__(self, model: nn.Module, key: str) -> None:
        super().__init__()
        self.model, self.key = model, key

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return getattr(self.model(input_ids=ids), self.key)


def _openai() -> nn.Module:
    from transformers import CLIPTextConfig, CLIPTextModelWithProjection

    cfg = CLIPTextConfig(
        vocab_size=49408,
        hidden_size=512,
        intermediate_size=2048,
        num_hidden_layers=12,
        num_attention_heads=8,
        max_position_embeddings=77,
        projection_dim=512,
        eos_token_id=49407,
        attn_implementation="eager",
    )
    return _Output(CLIPTextModelWithProjection(cfg), "text_embeds")


def _siglip2() -> nn.Module:
    from transformers import SiglipTextConfig, SiglipTextModel

    cfg = SiglipTextConfig(
        vocab_size=256000,
        hidden_size=768,
        intermediate_size=3072,
        num_hidden_layers=12,
        num_attention_heads=12,
        max_position_embeddings=64,
        attn_implementation="eager",
    )
    return _Output(SiglipTextModel(cfg), "pooler_output")


def _xlmr_large() -> nn.Module:
    from transformers import XLMRobertaConfig, XLMRobertaModel

    cfg = XLMRobertaConfig(
        vocab_size=250002,
        hidden_size=1024,
        num_hidden_layers=24,
        num_attention_heads=16,
        intermediate_size=4096,
        max_position_embeddings=514,
        attn_implementation="eager",
    )
    model = XLMRobertaModel(cfg, add_pooling_layer=False)
    return _Pooled(model, 1024, 512, masked=True)


def _nllb_600m() -> nn.Module:
    from transformers import M2M100Config
    from transformers.models.m2m_100.modeling_m2m_100 import M2M100Encoder

    cfg = M2M100Config(
        vocab_size=256206,
        d_model=1024,
        encoder_layers=12,
        encoder_attention_heads=16,
        encoder_ffn_dim=4096,
        max_position_embeddings=1024,
        attn_implementation="eager",
    )
    return _Pooled(M2M100Encoder(cfg), 1024, 768, masked=False)


TEXT_SHAPES = {
    "openai-b32": TextShape("openai-b32", 77, ("text",), _openai),
    "siglip2-b": TextShape("siglip2-b", 64, ("text",), _siglip2),
    "xlmr-large": TextShape("xlmr-large", 77, ("input_ids", "attention_mask"), _xlmr_large),
    "nllb-600m": TextShape("nllb-600m", 77, ("text",), _nllb_600m),
}


def export_text(shape: TextShape, out: Path, seed: int = 0) -> Path:
    """Write ``out/<name>/textual.onnx`` (random weights); return the graph's path."""
    path = out / shape.name / "textual.onnx"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    module = shape.build().eval()
    ids = torch.randint(2, 1000, (1, shape.context_length), dtype=torch.int64)
    args: tuple[torch.Tensor, ...] = (ids,)
    if len(shape.inputs) == 2:
        args = (ids, torch.ones_like(ids))
    params = sum(p.numel() for p in module.parameters())
    seq = torch.export.Dim("seq", min=2, max=shape.context_length)
    dims: dict[str, dict[int, torch.export.Dim]] = {"ids": {1: seq}}
    if len(shape.inputs) == 2:
        dims["mask"] = {1: seq}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module,
            args,
            str(path),
            input_names=list(shape.inputs),
            dynamo=True,
            dynamic_shapes=dims,
            external_data=params * 4 > (1 << 31) - (1 << 26),
            optimize=True,
            verbose=False,
        )
    return path


@dataclass(frozen=True)
class ImageShape:
    name: str
    size: int
    patch: int


IMAGE_SHAPES = {
    "vit-b32-224": ImageShape("vit-b32-224", 224, 32),  # OpenAI ViT-B/32, M-CLIP's image tower
    "vit-b32-256": ImageShape("vit-b32-256", 256, 32),  # ViT-B-32-SigLIP2-256
    "vit-b16-224": ImageShape("vit-b16-224", 224, 16),  # ViT-B-16-SigLIP2
    "vit-b16-384": ImageShape("vit-b16-384", 384, 16),  # a 384 px ViT-B/16 (SigLIP at 384)
}


def export_image(shape: ImageShape, out: Path, seed: int = 0) -> Path:
    """Write ``out/<name>/visual.onnx``: a ViT-B at ``shape``'s patch and size, batch dynamic."""
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    path = out / shape.name / "visual.onnx"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    cfg = CLIPVisionConfig(
        hidden_size=768,
        intermediate_size=3072,
        num_hidden_layers=12,
        num_attention_heads=12,
        image_size=shape.size,
        patch_size=shape.patch,
        projection_dim=512,
        attn_implementation="eager",
    )
    module = _Pixels(CLIPVisionModelWithProjection(cfg)).eval()
    batch = torch.export.Dim("batch", min=1, max=256)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module,
            (torch.randn(2, 3, shape.size, shape.size),),
            str(path),
            input_names=["image"],
            dynamo=True,
            dynamic_shapes={"image": {0: batch}},
            external_data=False,
            optimize=True,
            verbose=False,
        )
    return path


class _Pixels(nn.Module):
    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.model(pixel_values=image).image_embeds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", choices=sorted(TEXT_SHAPES), action="append", default=[])
    parser.add_argument("--image", choices=sorted(IMAGE_SHAPES), action="append", default=[])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    for name in args.text:
        print(export_text(TEXT_SHAPES[name], args.out), flush=True)
    for name in args.image:
        print(export_image(IMAGE_SHAPES[name], args.out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
