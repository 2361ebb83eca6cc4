"""Run every benchmark side by side and write ``benchmarks/RESULTS.md``.

    python -m benchmarks.run [--quick] [--out benchmarks/RESULTS.md] [--steps index,search,...]

Inputs are made here, under ``benchmarks/work/`` (git-ignored) and reused by later runs: camera-
like 12 MP JPEGs, the ViT-B/32 random-weights pack (fp32 + int8, via ``models.export``) and
libraries of synthetic vectors. Every figure comes from a fresh child process; the steps run one
after another in this one run, so they share the machine's state (compare side by side only).
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import report
from benchmarks.common import PACK_NAME, ROOT, WORK, ChildFailed, machine, run_child, write_json
from benchmarks.corpus import describe, make_corpus
from benchmarks.packs import ensure_pack, export_report
from benchmarks.synthetic import build_library

STEPS = ("index", "search", "cold", "gui", "dups")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _cosines(a: Path, b: Path) -> dict[str, float] | None:
    """Cosines between the rows two runs stored for the same photos (by file name)."""
    if not (a.exists() and b.exists()):
        return None
    first, second = np.load(a), np.load(b)
    index = {str(n): i for i, n in enumerate(second["names"])}
    pairs = [(i, index[str(n)]) for i, n in enumerate(first["names"]) if str(n) in index]
    if not pairs:
        return None
    x = first["vectors"][[i for i, _ in pairs]]
    y = second["vectors"][[j for _, j in pairs]]
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    y = y / np.linalg.norm(y, axis=1, keepdims=True)
    cos = np.sum(x * y, axis=1)
    return {"n": len(pairs), "min": float(cos.min()), "mean": float(cos.mean())}


def step_index(results: dict[str, Any], photos: Path, pack: Path, quick: bool) -> None:
    out = WORK / "out"
    common = ["--photos", str(photos), "--pack", str(pack)]
    runs: dict[str, Any] = {}
    log("index: tutorial baseline (torch, one photo at a time)")
    runs["baseline"] = run_child("bench_baseline", common, out / "baseline.json")
    for precision in ("fp32", "int8"):
        log(f"index: desktop-album index, {precision}")
        runs[f"product_{precision}"] = run_child(
            "bench_index", ["product", *common, "--precision", precision],
            out / f"product-{precision}.json",
        )  # fmt: skip
        log(f"index: hand-rolled pipeline, {precision}")
        runs[f"handrolled_{precision}"] = run_child(
            "bench_index", ["handrolled", *common, "--precision", precision],
            out / f"handrolled-{precision}.json",
        )  # fmt: skip
    base = runs["baseline"]["photos_per_s"]
    for run in runs.values():
        run["speedup"] = run["photos_per_s"] / base
    results["index"] = {
        "runs": runs,
        "int8_vs_fp32": _cosines(
            out / "vectors-product-int8.npz", out / "vectors-product-fp32.npz"
        ),
        "fp32_vs_baseline": _cosines(
            out / "vectors-product-fp32.npz", out / "vectors-baseline.npz"
        ),
        "weights_cosine": runs["baseline"]["weights_cosine"],
    }


def step_search(results: dict[str, Any], pack: Path, sizes: list[int], queries: int) -> None:
    results["search"] = {}
    for size in sizes:
        log(f"search: library of {size:,} photos")
        library = build_library(WORK / "libraries", size, PACK_NAME, 512)
        log(f"search: {size:,} photos, queries")
        args = ["--library", str(library), "--pack", str(pack), "--queries", str(queries)]
        results["search"][str(size)] = run_child(
            "bench_search", [*args, "--compare"], WORK / "out" / f"search-{size}.json"
        )


def step_cold(results: dict[str, Any], pack: Path, sizes: list[int], runs: int) -> None:
    results["cold"] = {}
    for size in sizes:
        log(f"cold start: {size:,} photos")
        library = build_library(WORK / "libraries", size, PACK_NAME, 512)
        args = ["--library", str(library), "--pack", str(pack), "--runs", str(runs)]
        results["cold"][str(size)] = run_child(
            "bench_coldstart", args, WORK / "out" / f"cold-{size}.json"
        )


def step_gui(results: dict[str, Any], photos: Path, pack: Path, size: int) -> None:
    try:
        import desktop_album.gui.main_window  # noqa: F401
    except Exception as exc:  # no window yet, or no Qt here
        results["gui"] = {"pending": f"the window cannot be opened here: {exc}"}
        return
    library = build_library(WORK / "libraries", size, PACK_NAME, 512)
    args = ["--photos", str(photos), "--pack", str(pack), "--library", str(library)]
    results["gui"] = {}
    for part in ("indexing", "scrolling"):
        log(f"gui: offscreen window, {part}")
        try:
            results["gui"][part] = run_child(
                "bench_gui", [part, *args], WORK / "out" / f"gui-{part}.json", timeout=1800
            )
        except ChildFailed as exc:
            text = str(exc)
            if "none_dealloc" in text:
                reason = (
                    "the process aborted with 'Fatal Python error: none_dealloc': PySide6 6.12.0 "
                    "loses a reference to None each time a Python data() override returns None "
                    "(Python < 3.12), so painting enough cells kills the app"
                )
            else:
                reason = text[-1200:]
            results["gui"][part] = {"failed": reason}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer photos, no 1M library")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"subset of {','.join(STEPS)}")
    parser.add_argument("--photos", type=int, help="corpus size (default 200, quick 24)")
    args = parser.parse_args(argv)
    steps = [s for s in args.steps.split(",") if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    count = args.photos or (24 if args.quick else 200)
    sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    cold_sizes = [100_000] if args.quick else [100_000, 1_000_000]
    started = time.perf_counter()
    results: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "quick": args.quick,
        "steps": steps,
        "machine": machine(),
    }
    log(f"corpus: {count} camera-like JPEGs")
    subset = WORK / f"photos-{count}"
    results["corpus"] = describe(make_corpus(subset, count))
    log("pack: ViT-B/32 random weights, fp32 + int8 (models.export)")
    pack = ensure_pack(log=WORK / "packs" / "export.log")
    results["export"] = export_report(WORK / "packs" / "export.log")
    if "index" in steps:
        step_index(results, subset, pack, args.quick)
    if "search" in steps:
        step_search(results, pack, sizes, 50 if args.quick else 200)
    if "cold" in steps:
        step_cold(results, pack, cold_sizes, 3 if args.quick else 5)
    if "gui" in steps:
        step_gui(results, subset, pack, 100_000)
    if "dups" in steps:
        log("dups: duplicate groups and things over 100,000 synthetic photos")
        results["dups"] = run_child(
            "bench_duplicates", ["--photos", "100000"], WORK / "out" / "dups.json", timeout=1800
        )
    results["seconds"] = time.perf_counter() - started
    results["load_average_end"] = machine()["load_average"]
    write_json(WORK / "results.json", results)
    args.out.write_text(report.render(results))
    log(f"wrote {args.out} in {results['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
