"""The committed test pack: a tiny CLIP whose image tower is a small ConvNet.

A tiny ViT learns colours quickly but shapes slowly on two CPU cores; a five-layer ConvNet (the
original CLIP shipped ResNet towers too) learns both in about two minutes. The text tower is the
transformers CLIP text transformer of ``models.tiny_clip``, so text export, tokenizer and the
"cut after end-of-text" property are the same as for real packs.

    python -m models.tiny_convnet --out tests/fixtures/tiny-pack

Train with one thread per process: on a shared 2-core machine, two OpenMP threads per step were
measured 14x slower than one.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from transformers import CLIPModel

from models import train_tiny as T
from models.export import EOS_TOKEN, TextTower, encode_texts, export_pack
from models.shapes import COLORS, SHAPES
from models.tiny_clip import (
    CONTEXT_LENGTH,
    IMAGE_SIZE,
    build_tokenizer,
    positives,
    tiny_config,
    training_caption,
)

_LAYERS = ((3, 32, 2), (32, 64, 2), (64, 96, 2), (96, 128, 2), (128, 128, 1))


class ConvTower(nn.Module):
    """Pixels to a projected embedding: strided convolutions, then mean and max pooling."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        for cin, cout, stride in _LAYERS:
            layers += [
                nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
                nn.BatchNorm2d(cout),
                nn.GELU(),
            ]
        self.features = nn.Sequential(*layers)
        width = _LAYERS[-1][1]
        self.proj = nn.Linear(2 * width, dim)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = self.features(image)
        return self.proj(torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1))


def train(
    steps: int = 1200, batch: int = 96, lr: float = 3e-3, pool: int = 8000, seed: int = 0
) -> tuple[CLIPModel, ConvTower]:
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.set_num_threads(1)
    tokenizer = build_tokenizer()
    start = time.perf_counter()
    specs, crops = T.image_pool(pool, seed, IMAGE_SIZE, workers=2)
    held_specs, held_crops = T.image_pool(400, seed + 1000, IMAGE_SIZE, workers=2)
    print(f"rendered {len(specs)} photos in {time.perf_counter() - start:.0f} s", flush=True)
    images_all, held = torch.from_numpy(crops), torch.from_numpy(held_crops)

    clip = CLIPModel(tiny_config(tokenizer)).train()
    dim = clip.config.projection_dim
    image_tower = ConvTower(dim)
    text_tower = TextTower(clip, tokenizer.token_to_id(EOS_TOKEN))
    # Colour and shape classifiers on the image embedding (training only) make "find similar"
    # group photos by what they show, not by background or size.
    heads = nn.ModuleDict(
        {"color": nn.Linear(dim, len(COLORS)), "shape": nn.Linear(dim, len(SHAPES))}
    )
    params = [
        *image_tower.parameters(),
        *clip.text_model.parameters(),
        *clip.text_projection.parameters(),
        clip.logit_scale,
        *heads.parameters(),
    ]
    optimiser = torch.optim.AdamW(params, lr=lr, betas=(0.9, 0.98), weight_decay=0.05)
    warmup = 100

    def lr_at(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, steps - warmup)))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, lr_at)
    rng = random.Random(f"captions-{seed}")
    generator = torch.Generator().manual_seed(seed)
    order, cursor = torch.randperm(len(specs), generator=generator), 0
    for step in range(steps):
        if cursor + batch > len(order):
            order, cursor = torch.randperm(len(specs), generator=generator), 0
        index = order[cursor : cursor + batch]
        cursor += batch
        batch_specs = [specs[i] for i in index.tolist()]
        images = images_all[index]
        flip = torch.rand(len(index), generator=generator) < 0.5
        images[flip] = images[flip].flip(2)
        captions = [training_caption(s, rng) for s in batch_specs]
        ids = encode_texts(tokenizer, [c for c, _ in captions], CONTEXT_LENGTH, EOS_TOKEN)
        targets = torch.from_numpy(positives(batch_specs, [m for _, m in captions]))
        raw = image_tower(T._normalise_batch(images))
        image_emb = F.normalize(raw, dim=-1)
        text_emb = F.normalize(text_tower(torch.from_numpy(ids)), dim=-1)
        scale = clip.logit_scale.exp().clamp(max=100)
        logits = scale * image_emb @ text_emb.T
        loss = (
            T._soft_cross_entropy(logits, targets) + T._soft_cross_entropy(logits.T, targets.T)
        ) / 2
        loss = loss + 0.5 * T._same_shape_loss(image_emb, batch_specs, scale)
        colors = torch.tensor([COLORS.index(s.color) for s in batch_specs])
        shapes = torch.tensor([SHAPES.index(s.shape) for s in batch_specs])
        loss = loss + 0.5 * (
            F.cross_entropy(heads["color"](raw), colors)
            + F.cross_entropy(heads["shape"](raw), shapes)
        )
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimiser.step()
        scheduler.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"step {step:5d}  loss {loss.item():.3f}  {time.perf_counter() - start:.0f} s")
        if (step + 1) % 300 == 0:
            with torch.no_grad():
                report = T._validate(image_tower, text_tower, tokenizer, held_specs, held)  # type: ignore[arg-type]
            print("  " + report, flush=True)
    return clip.eval(), image_tower.eval()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--steps", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    clip, tower = train(steps=args.steps, seed=args.seed)
    report = export_pack(
        clip,
        build_tokenizer(),
        args.out,
        license="MIT",
        source=f"models.tiny_convnet --seed {args.seed} --steps {args.steps}",
        image_tower=tower,
        vision_cfg={"image_size": IMAGE_SIZE, "type": "convnet", "layers": len(_LAYERS)},
    )
    print("\n".join(report.lines()))
    print(T.evaluate(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
