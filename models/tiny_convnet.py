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
import dataclasses
from collections.abc import Sequence
from pathlib import Path

import torch
from torch import nn

from models import train_tiny as T
from models.export import export_pack
from models.tiny_clip import (
    IMAGE_SIZE,
    build_tokenizer,
    tiny_config,
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


# The knobs that made the committed pack: one thread (see the module docstring), a smaller batch
# and a higher learning rate than the ViT, which a ConvNet takes in its stride.
CONFIG = T.TrainConfig(steps=1200, batch=96, lr=3e-3, threads=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--steps", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    config = dataclasses.replace(CONFIG, steps=args.steps, seed=args.seed)
    tokenizer = build_tokenizer()
    torch.manual_seed(args.seed)  # the tower is built before train() seeds the rest
    tower = ConvTower(tiny_config(tokenizer).projection_dim)
    clip, tower = T.train(config, tokenizer, image_tower=tower)
    report = export_pack(
        clip,
        tokenizer,
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
