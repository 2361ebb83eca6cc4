"""Cost per model family at its real shape (random weights): text query, text RAM, photos/s.

    python -m benchmarks.bench_families            # exports what is missing, then measures
    python -m benchmarks.bench_families --write    # and puts the table into RESULTS.md

Towers come from ``models.family_shapes`` (under ``benchmarks/work/families``, reused). Each
measurement runs in a fresh process so resident memory is that tower's alone:

- text query: one query through onnxruntime (2 intra-op threads, the app's session options),
  median and p95 of 30 runs, at the token length the app feeds that family (OpenAI CLIP: cut
  after end-of-text, 9 tokens for a short query, and padded to 77 for comparison; the others:
  padded to their context length, as their towers require);
- text RAM: resident set after loading the session and running one query, minus before; and
  what a second session of the same file would add, which ``ClipModel`` avoids by sharing one
  session per file per process;
- photos/s: the image tower alone, batch 8 of random pixels, 2 threads. Indexing adds about
  40 ms of CPU per 12 MP JPEG for decoding (NOTES.md), on the same two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work" / "families"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
BEGIN, END = "<!-- families:begin -->", "<!-- families:end -->"


@dataclass(frozen=True)
class Family:
    pack: str
    text: str  # models.family_shapes.TEXT_SHAPES key
    length: int  # tokens the app feeds for a short query
    image: str  # models.family_shapes.IMAGE_SHAPES key


FAMILIES = (
    Family("ViT-B-32__openai", "openai-b32", 9, "vit-b32-224"),
    Family("XLM-Roberta-Large-Vit-B-32", "xlmr-large", 77, "vit-b32-224"),
    Family("ViT-B-32-SigLIP2-256__webli", "siglip2-b", 64, "vit-b32-256"),
    Family("ViT-B-16-SigLIP2__webli", "siglip2-b", 64, "vit-b16-224"),
    Family("nllb-clip-base-siglip__v1", "nllb-600m", 77, "vit-b16-384"),
)


def _rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _session(path: Path):  # type: ignore[no-untyped-def]
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def measure_text(path: Path, length: int) -> dict[str, float]:
    """In this process: load, RAM, latency; then what a second session would add."""
    import numpy as np

    before = _rss()
    start = time.perf_counter()
    session = _session(path)
    load_s = time.perf_counter() - start
    names = [i.name for i in session.get_inputs()]
    ids = np.random.default_rng(0).integers(5, 30000, (1, length)).astype(np.int64)
    feeds = {names[0]: ids}
    if len(names) > 1:
        feeds[names[1]] = np.ones_like(ids)
    for _ in range(3):
        session.run(None, feeds)
    loaded = _rss()
    times = []
    for _ in range(30):
        t = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - t) * 1000)
    second = _session(path)
    second.run(None, feeds)
    return {
        "load_s": load_s,
        "rss_mib": (loaded - before) / 2**20,
        "second_session_mib": (_rss() - loaded) / 2**20,
        "median_ms": float(np.median(times)),
        "p95_ms": float(np.percentile(times, 95)),
        "file_mib": sum(p.stat().st_size for p in path.parent.iterdir()) / 2**20,
    }


def measure_image(path: Path, size: int) -> dict[str, float]:
    import numpy as np

    session = _session(path)
    batch = np.random.default_rng(0).standard_normal((8, 3, size, size)).astype(np.float32)
    session.run(None, {"image": batch})
    runs, start = 3, time.perf_counter()
    for _ in range(runs):
        session.run(None, {"image": batch})
    return {"photos_per_s": runs * len(batch) / (time.perf_counter() - start)}


def _child(*args: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_families", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _export(texts: set[str], images: set[str]) -> None:
    args = [a for t in sorted(texts) for a in ("--text", t)]
    args += [a for i in sorted(images) for a in ("--image", i)]
    subprocess.run(
        [sys.executable, "-m", "models.family_shapes", *args, "--out", str(WORK)],
        cwd=ROOT,
        check=True,
    )


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} / {five:.1f}"


def run(families: tuple[Family, ...]) -> str:
    from models.family_shapes import IMAGE_SHAPES

    _export({f.text for f in families}, {f.image for f in families})
    start_load = _load()
    text: dict[tuple[str, int], dict[str, float]] = {}
    for fam in families:
        key = (fam.text, fam.length)
        if key not in text:
            text[key] = _child("--text", str(WORK / fam.text / "textual.onnx"), str(fam.length))
    openai_padded = _child("--text", str(WORK / "openai-b32" / "textual.onnx"), "77")
    image = {
        f.image: _child(
            "--image", str(WORK / f.image / "visual.onnx"), str(IMAGE_SHAPES[f.image].size)
        )
        for f in families
    }
    rows = [
        "| Pack (shape) | Query tokens | Text query median / p95 | Text tower RAM | "
        "A 2nd session would add | Text file | Image tower | Photos/s (model only) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for fam in families:
        t, i = text[(fam.text, fam.length)], image[fam.image]
        rows.append(
            f"| {fam.pack} ({fam.text}) | {fam.length} | {t['median_ms']:.1f} / "
            f"{t['p95_ms']:.1f} ms | {t['rss_mib']:.0f} MiB | {t['second_session_mib']:.0f} MiB "
            f"| {t['file_mib']:.0f} MiB | {fam.image} | {i['photos_per_s']:.1f} |"
        )
    return "\n".join(
        [
            BEGIN,
            "## Cost per model family",
            "",
            f"`python -m benchmarks.bench_families` on {platform.processor() or 'this CPU'}, "
            f"{os.cpu_count()} cores, load average {start_load} at the start and {_load()} at "
            "the end; random weights at each family's real shape (`models/family_shapes.py`), "
            "fp32, onnxruntime with 2 threads. One run on a shared machine: compare rows with "
            "each other, not with other runs.",
            "",
            *rows,
            "",
            f"OpenAI's text tower padded to 77 tokens instead of cut after end-of-text: "
            f"{openai_padded['median_ms']:.1f} ms median. SigLIP 2, M-CLIP and NLLB towers must "
            "see their full padded length (see docs/models.md), so they pay it on every query. "
            "Text tower RAM is mostly the token embedding table (256k tokens x 768 for SigLIP 2, "
            "x 1024 for XLM-R and NLLB); the app keeps one session per tower file per process "
            "(`ClipModel` shares it between the window's search and index models), so the "
            "second-session column is what that sharing saves. Photos/s is the image tower "
            "alone; indexing also decodes each photo (about 40 ms of CPU per 12 MP JPEG).",
            END,
        ]
    )


def write(section: str) -> None:
    text = RESULTS.read_text("utf-8") if RESULTS.is_file() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    RESULTS.write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", nargs=2, metavar=("ONNX", "LENGTH"), help=argparse.SUPPRESS)
    parser.add_argument("--image", nargs=2, metavar=("ONNX", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--only", action="append", help="pack names to measure (default: all)")
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    if args.text:
        print(json.dumps(measure_text(Path(args.text[0]), int(args.text[1]))))
        return 0
    if args.image:
        print(json.dumps(measure_image(Path(args.image[0]), int(args.image[1]))))
        return 0
    families = tuple(f for f in FAMILIES if not args.only or f.pack in args.only)
    section = run(families)
    print(section)
    if args.write:
        write(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
