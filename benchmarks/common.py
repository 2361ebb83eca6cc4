"""What every benchmark shares: the work folder, child processes, timing and memory figures.

Each measurement runs in a fresh child process (``python -m benchmarks.<module> ...``) that writes
one JSON file: torch in one process must not slow numpy in another (NOTES.md), and resident
memory is only meaningful per process.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work"
PACK_NAME = "vit-b-32-random"  # the pack folder's name is the library's model id
THREADS = 2


_DISTRIBUTIONS = {
    "onnxruntime": ("onnxruntime", "onnxruntime-gpu"),
    "numpy": ("numpy",),
    "torch": ("torch",),
    "transformers": ("transformers",),
    "pillow": ("pillow",),
    "numkong": ("numkong",),
    "tokenizers": ("tokenizers",),
    "PySide6": ("PySide6-Essentials", "PySide6"),
}


class ChildFailed(RuntimeError):
    pass


def run_child(module: str, args: Sequence[str], out: Path, timeout: float = 3600) -> Any:
    """Run ``python -m benchmarks.<module> args... --json out`` and return what it wrote."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", f"benchmarks.{module}", *args, "--json", str(out)]
    path = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), str(ROOT)) if p)
    env = dict(os.environ, PYTHONPATH=path, OMP_NUM_THREADS=str(THREADS))
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, timeout=timeout, capture_output=True, text=True)
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stdout + proc.stderr)[-3000:]
        raise ChildFailed(f"{' '.join(cmd)} failed ({proc.returncode}):\n{tail}")
    data = json.loads(out.read_text())
    data.setdefault("process_seconds", time.perf_counter() - started)
    return data


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=float))


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) without numpy."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "max_ms": max(ms),
    }


def memory() -> dict[str, float]:
    """This process's resident memory now and at its peak, in MiB (Linux /proc, else rusage)."""
    now = peak = float("nan")
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    except OSError:
        scale = 1 if sys.platform == "darwin" else 1024
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20
    return {"rss_mib": now, "peak_rss_mib": peak}


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM and library versions, for the report header."""
    cpu = platform.processor() or platform.machine()
    flags = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = line
    except OSError:
        pass
    ram = float("nan")
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 2**20
    except OSError:
        pass
    versions: dict[str, str] = {"python": platform.python_version()}
    for label, dists in _DISTRIBUTIONS.items():
        versions[label] = "not installed"
        for dist in dists:
            try:
                versions[label] = f"{metadata.version(dist)}" + (
                    f" ({dist})" if dist != label else ""
                )
                break
            except metadata.PackageNotFoundError:
                continue
    simd = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx512_bf16") if f" {f}" in flags]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram,
        "os": platform.platform(),
        "simd": simd,
        "versions": versions,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
