"""Train the tiny shapes CLIP on the CPU and export it as the test model pack.

    python -m models.train_tiny --out tests/fixtures/tiny-pack

A few minutes on two cores, reproducible for a seed. The images go through what a real photo
does before the app sees it: rendered with a short side of 96-640 px, saved as JPEG (or PNG),
decoded (sometimes with JPEG draft scaling, as a fast indexer does), then shortest-side bicubic
resize and centre crop exactly as :func:`models.export.clip_preprocess`. At the end the exported
ONNX pack is scored on a corpus from a seed the training never saw.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from tokenizers import Tokenizer
from transformers import CLIPModel

from models.export import (
    CLIP_MEAN,
    CLIP_STD,
    EOS_TOKEN,
    ExportReport,
    ImageTower,
    TextTower,
    clip_crop,
    clip_preprocess,
    encode_texts,
    export_pack,
    session,
)
from models.shapes import (
    BACKGROUNDS,
    COLORS,
    KOREAN_COLORS,
    KOREAN_SHAPES,
    SHAPES,
    SIZES,
    ShapeSpec,
    balanced_specs,
    make_corpus,
    render,
)
from models.tiny_clip import (
    CONTEXT_LENGTH,
    IMAGE_SIZE,
    build_tokenizer,
    positives,
    tiny_config,
    training_caption,
)

EVAL_SEED = 123


# --- the training images ------------------------------------------------------------------------


def _photo(job: tuple[ShapeSpec, str, int]) -> np.ndarray:
    """Render one spec like a photo on disk and crop it the way the app will."""
    spec, key, size = job
    rng = random.Random(key)  # a string seed is stable across processes and runs
    short = rng.randint(96, 640)
    long = max(short, round(short * rng.uniform(0.6, 1.67)))
    width, height = (short, long) if rng.random() < 0.5 else (long, short)
    image = render(spec, width, height, rng)
    buffer = io.BytesIO()
    if rng.random() < 0.85:
        image.save(buffer, format="JPEG", quality=rng.randint(60, 95))
        buffer.seek(0)
        decoded = Image.open(buffer)
        if rng.random() < 0.4:
            decoded.draft("RGB", (size, size))
    else:
        image.save(buffer, format="PNG", compress_level=1)
        buffer.seek(0)
        decoded = Image.open(buffer)
    return np.asarray(clip_crop(decoded.convert("RGB"), size), dtype=np.uint8)


def image_pool(
    count: int, seed: int, size: int, workers: int
) -> tuple[list[ShapeSpec], np.ndarray]:
    """``count`` balanced specs and their uint8 crops, N x size x size x 3."""
    specs = balanced_specs(count, random.Random(f"specs-{seed}"))
    jobs = [(spec, f"photo-{seed}-{i}", size) for i, spec in enumerate(specs)]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            crops = list(pool.map(_photo, jobs, chunksize=64))
    else:
        crops = [_photo(job) for job in jobs]
    return specs, np.stack(crops)


# --- training -----------------------------------------------------------------------------------


@dataclass
class TrainConfig:
    """Training knobs; the defaults made the committed pack."""

    seed: int = 0
    pool: int = 8000
    steps: int = 1500
    batch: int = 128
    lr: float = 1.5e-3
    warmup: int = 100
    weight_decay: float = 0.05
    # Weight of the image-image term next to the image-text one.
    same_shape_weight: float = 0.5
    # Weight of attribute classifiers on the image embedding (training only, not exported).
    class_weight: float = 1.0
    threads: int = 2
    validate_every: int = 300


def _normalise_batch(crops: torch.Tensor) -> torch.Tensor:
    mean = torch.tensor(CLIP_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(CLIP_STD).view(1, 3, 1, 1)
    return (crops.permute(0, 3, 1, 2).float() / 255.0 - mean) / std


def _soft_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Cross-entropy against every true caption at once, not just the diagonal one.

    A batch holds many red circles; "a red circle" is as true of each, so all count as
    positives rather than pushing the model to tell identical captions apart.
    """
    targets = targets / targets.sum(dim=1, keepdim=True)
    return -(targets * F.log_softmax(logits, dim=1)).sum(dim=1).mean()


def _same_shape_loss(
    image_emb: torch.Tensor, specs: Sequence[ShapeSpec], scale: torch.Tensor
) -> torch.Tensor:
    """Pull photos of the same colour and shape together, whatever their size and background.

    Captions alone teach this slowly (background words are in half of them); searching by an
    example photo needs it directly.
    """
    keys = [(s.color, s.shape) for s in specs]
    same = torch.tensor([[a == b for b in keys] for a in keys], dtype=torch.float32)
    eye = torch.eye(len(keys))
    same = same - eye
    has_pair = same.sum(dim=1) > 0
    logits = scale * image_emb @ image_emb.T - 1e4 * eye  # never match a photo with itself
    return _soft_cross_entropy(logits[has_pair], same[has_pair])


@torch.no_grad()
def _validate(
    image_tower: torch.nn.Module,
    text_tower: TextTower,
    tokenizer: Tokenizer,
    specs: Sequence[ShapeSpec],
    crops: torch.Tensor,
) -> str:
    """Top-1 of "a {color} {shape}" over held-out photos, and nearest-photo agreement."""
    image_tower.eval()
    text_tower.eval()
    pairs = [(c, s) for c in COLORS for s in SHAPES]
    ids = encode_texts(tokenizer, [f"a {c} {s}" for c, s in pairs], CONTEXT_LENGTH, EOS_TOKEN)
    images = F.normalize(image_tower(_normalise_batch(crops)), dim=-1)
    texts = F.normalize(text_tower(torch.from_numpy(ids)), dim=-1)
    best = (texts @ images.T).argmax(dim=1).tolist()
    text_hits = np.mean(
        [(specs[b].color, specs[b].shape) == p for b, p in zip(best, pairs, strict=True)]
    )
    similar = images @ images.T - 2 * torch.eye(len(specs))
    nearest = similar.argmax(dim=1).tolist()
    image_hits = np.mean(
        [
            (specs[i].color, specs[i].shape) == (specs[j].color, specs[j].shape)
            for i, j in enumerate(nearest)
        ]
    )
    image_tower.train()
    text_tower.train()
    return f"held-out top-1 {text_hits:.0%}, nearest photo {image_hits:.0%}"


Pool = tuple[list[ShapeSpec], np.ndarray]
_ATTRIBUTES = {"color": COLORS, "shape": SHAPES, "size": SIZES, "background": BACKGROUNDS}
# Colour and shape are what queries name; size and background ride along more lightly.
_ATTRIBUTE_WEIGHT = {"color": 1.0, "shape": 1.0, "size": 0.3, "background": 0.3}


def train(
    cfg: TrainConfig,
    tokenizer: Tokenizer,
    log: bool = True,
    photos: Pool | None = None,
    held_out: Pool | None = None,
    image_tower: torch.nn.Module | None = None,
) -> tuple[CLIPModel, torch.nn.Module]:
    """Train from scratch; returns the CLIP model and the image tower it was trained with.

    ``image_tower`` replaces the ViT (``models.tiny_convnet`` passes a ConvNet); ``photos`` and
    ``held_out`` skip rendering (for experiments).
    """
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(cfg.threads)

    start = time.perf_counter()
    specs, crops = photos or image_pool(cfg.pool, cfg.seed, IMAGE_SIZE, workers=cfg.threads)
    held_specs, held_crops = held_out or image_pool(
        400, cfg.seed + 1000, IMAGE_SIZE, workers=cfg.threads
    )
    pool, held = torch.from_numpy(crops), torch.from_numpy(held_crops)
    if log:
        print(f"rendered {len(specs)} photos in {time.perf_counter() - start:.0f} s", flush=True)

    model = CLIPModel(tiny_config(tokenizer)).train()
    eos_id = tokenizer.token_to_id(EOS_TOKEN)
    text_tower = TextTower(model, eos_id)
    if image_tower is None:
        image_tower = ImageTower(model)
        towers = list(model.parameters())
    else:  # the CLIP model's own vision weights stay out of training
        image_tower.train()
        towers = [
            *image_tower.parameters(),
            *model.text_model.parameters(),
            *model.text_projection.parameters(),
            model.logit_scale,
        ]
    dim = model.config.projection_dim
    heads = torch.nn.ModuleDict(
        {name: torch.nn.Linear(dim, len(values)) for name, values in _ATTRIBUTES.items()}
    )
    optimiser = torch.optim.AdamW(
        [*towers, *heads.parameters()],
        lr=cfg.lr,
        betas=(0.9, 0.98),
        weight_decay=cfg.weight_decay,
    )

    def lr_at(step: int) -> float:
        if step < cfg.warmup:
            return (step + 1) / cfg.warmup
        progress = (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup)
        return 0.5 * (1 + math.cos(math.pi * progress))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimiser, lr_at)
    rng = random.Random(f"captions-{cfg.seed}")
    generator = torch.Generator().manual_seed(cfg.seed)
    order = torch.randperm(len(specs), generator=generator)
    cursor = 0
    for step in range(cfg.steps):
        if cursor + cfg.batch > len(order):
            order, cursor = torch.randperm(len(specs), generator=generator), 0
        index = order[cursor : cursor + cfg.batch]
        cursor += cfg.batch
        batch_specs = [specs[i] for i in index.tolist()]
        images = pool[index]
        # Mirror half the batch: the shapes read the same either way, the pixels do not.
        flip = torch.rand(len(index), generator=generator) < 0.5
        images[flip] = images[flip].flip(2)
        captions = [training_caption(s, rng) for s in batch_specs]
        ids = encode_texts(tokenizer, [c for c, _ in captions], CONTEXT_LENGTH, EOS_TOKEN)
        targets = torch.from_numpy(positives(batch_specs, [m for _, m in captions]))

        raw_image_emb = image_tower(_normalise_batch(images))
        image_emb = F.normalize(raw_image_emb, dim=-1)
        text_emb = F.normalize(text_tower(torch.from_numpy(ids)), dim=-1)
        scale = model.logit_scale.exp().clamp(max=100)
        logits = scale * image_emb @ text_emb.T
        loss = (_soft_cross_entropy(logits, targets) + _soft_cross_entropy(logits.T, targets.T)) / 2
        if cfg.same_shape_weight:
            loss = loss + cfg.same_shape_weight * _same_shape_loss(image_emb, batch_specs, scale)
        if cfg.class_weight:
            for name, values in _ATTRIBUTES.items():
                labels = torch.tensor([values.index(getattr(s, name)) for s in batch_specs])
                loss = loss + cfg.class_weight * _ATTRIBUTE_WEIGHT[name] * F.cross_entropy(
                    heads[name](raw_image_emb), labels
                )

        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(towers, 1.0)
        optimiser.step()
        scheduler.step()
        if log and (step % 100 == 0 or step == cfg.steps - 1):
            print(
                f"step {step:5d}  loss {loss.item():.3f}  "
                f"scale {model.logit_scale.exp().item():.1f}  "
                f"{time.perf_counter() - start:.0f} s",
                flush=True,
            )
        if log and (step + 1) % cfg.validate_every == 0:
            print(
                "  " + _validate(image_tower, text_tower, tokenizer, held_specs, held), flush=True
            )
    return model.eval(), image_tower.eval()


# --- evaluation through the exported pack -------------------------------------------------------


@dataclass
class EvalResult:
    english: float  # share of "a {color} {shape}" queries whose top photo is one
    korean: float  # the same for "{color_ko} {shape_ko}"
    captions: float  # share of full captions (size, background) whose top photo fits them all
    image_nearest: float  # share of photos whose nearest other photo has their colour+shape
    image_top3: float  # share of photos with one of their colour+shape among the 3 nearest
    misses: list[str]

    def lines(self) -> list[str]:
        out = [
            f"text->image top-1: English {self.english:.1%}, Korean {self.korean:.1%}, "
            f"full captions {self.captions:.1%}",
            f"image->image same colour+shape: nearest {self.image_nearest:.1%}, "
            f"in top 3 {self.image_top3:.1%}",
        ]
        return out + [f"  miss: {m}" for m in self.misses]


def _embed_pack(pack: Path, paths: Sequence[Path], texts: Sequence[str]) -> tuple[np.ndarray, ...]:
    import json

    pre = json.loads((pack / "visual" / "preprocess_cfg.json").read_text("utf-8"))
    tok_cfg = json.loads((pack / "textual" / "tokenizer_config.json").read_text("utf-8"))
    size = pre["size"][0]
    images = np.stack(
        [clip_preprocess(Image.open(p), size, pre["mean"], pre["std"]) for p in paths]
    )
    tokenizer = Tokenizer.from_file(str(pack / "textual" / "tokenizer.json"))
    ids = encode_texts(tokenizer, texts, tok_cfg["model_max_length"], tok_cfg["pad_token"])
    image_emb = session(pack / "visual" / "model.onnx").run(None, {"image": images})[0]
    text_emb = session(pack / "textual" / "model.onnx").run(None, {"text": ids})[0]
    image_emb /= np.linalg.norm(image_emb, axis=1, keepdims=True)
    text_emb /= np.linalg.norm(text_emb, axis=1, keepdims=True)
    return image_emb, text_emb


def evaluate(pack: Path, seed: int = EVAL_SEED, count: int = 100) -> EvalResult:
    """Score ``pack`` as the app would use it, on ``make_corpus(..., count, seed)``."""
    pairs = [(c, s) for c in COLORS for s in SHAPES]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = make_corpus(Path(tmp), count, seed=seed)
        specs = [s for _, s in corpus]
        queries = [f"a {c} {s}" for c, s in pairs]
        queries += [f"{KOREAN_COLORS[c]} {KOREAN_SHAPES[s]}" for c, s in pairs]
        captions = sorted({s.caption_en() for s in specs} | {s.caption_ko() for s in specs})
        image_emb, text_emb = _embed_pack(pack, [p for p, _ in corpus], queries + captions)

    top = np.argmax(text_emb @ image_emb.T, axis=1)
    hits, misses = [], []
    for query, (color, shape), best in zip(queries, pairs * 2, top, strict=False):
        found = specs[best]
        hits.append(found.color == color and found.shape == shape)
        if not hits[-1]:
            misses.append(f"{query!r} -> {found.caption_en()}")
    by_caption = {s.caption_en(): s for s in specs} | {s.caption_ko(): s for s in specs}
    caption_hits = []
    for caption, best in zip(captions, top[len(queries) :], strict=True):
        wanted, found = by_caption[caption], specs[best]
        # Equal captions, not equal specs: "a red circle" is true of a medium one on white.
        caption_hits.append(found.caption_en() == wanted.caption_en())
        if not caption_hits[-1]:
            misses.append(f"{caption!r} -> {found.caption_en()}")

    similar = image_emb @ image_emb.T
    np.fill_diagonal(similar, -np.inf)
    ranked = np.argsort(-similar, axis=1)[:, :3]
    keys = [(s.color, s.shape) for s in specs]
    same = np.array([[keys[j] == keys[i] for j in row] for i, row in enumerate(ranked)])
    half = len(pairs)
    return EvalResult(
        english=float(np.mean(hits[:half])),
        korean=float(np.mean(hits[half:])),
        captions=float(np.mean(caption_hits)),
        image_nearest=float(same[:, 0].mean()),
        image_top3=float(same.any(axis=1).mean()),
        misses=misses,
    )


def main(argv: Sequence[str] | None = None) -> int:
    defaults = TrainConfig()
    parser = argparse.ArgumentParser(prog="python -m models.train_tiny", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("tests/fixtures/tiny-pack"))
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--steps", type=int, default=defaults.steps)
    parser.add_argument("--pool", type=int, default=defaults.pool, help="distinct photos")
    parser.add_argument("--batch", type=int, default=defaults.batch)
    parser.add_argument("--threads", type=int, default=defaults.threads)
    parser.add_argument("--no-int8", action="store_true", help="skip the int8 variants")
    args = parser.parse_args(argv)
    cfg = TrainConfig(
        seed=args.seed, pool=args.pool, steps=args.steps, batch=args.batch, threads=args.threads
    )

    start = time.perf_counter()
    tokenizer = build_tokenizer()
    model, _ = train(cfg, tokenizer)
    trained = time.perf_counter() - start
    report: ExportReport = export_pack(
        model,
        tokenizer,
        args.out,
        mean=CLIP_MEAN,
        std=CLIP_STD,
        license="MIT (trained from scratch on synthetic shapes)",
        source=f"models.train_tiny --seed {cfg.seed} --steps {cfg.steps} --pool {cfg.pool}",
        int8=not args.no_int8,
    )
    print(f"trained in {trained:.0f} s; wrote {args.out}")
    for line in [*report.lines(), *evaluate(args.out).lines()]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
