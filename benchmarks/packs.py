"""The ViT-B/32 random-weights pack (fp32 + int8), built once by ``models.export``.

The export seeds torch (``models.export.random_model(arch, seed=0)``), so the tutorial baseline
rebuilds the very same ``CLIPModel`` by calling that function again; ``bench_baseline`` checks it
by running one input through both torch and the pack's fp32 ONNX graph.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from benchmarks.common import PACK_NAME, ROOT, WORK

EXPORTER = ROOT / "models" / "export.py"


def _stamp() -> str:
    return hashlib.sha256(EXPORTER.read_bytes()).hexdigest()[:16]


def ensure_pack(folder: Path | None = None, log: Path | None = None) -> Path:
    """The pack folder, exported again whenever ``models/export.py`` changed since."""
    pack = folder or WORK / "packs" / PACK_NAME
    stamp_file = pack.parent / f"{pack.name}.stamp.json"
    wanted = {"exporter": _stamp(), "arch": "vit-b-32", "seed": 0, "int8": True}
    try:
        ready = json.loads(stamp_file.read_text()) == wanted
    except (OSError, ValueError):
        ready = False
    needed = ("visual/model.onnx", "visual/model_int8.onnx", "textual/model.onnx")
    if ready and all((pack / name).is_file() for name in needed):
        return pack
    pack.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "models.export", "--random-weights", "--arch", "vit-b-32",
        "--out", str(pack), "--int8", "--threads", "2",
    ]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if log is not None:
        log.write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise RuntimeError(f"models.export failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
    stamp_file.write_text(json.dumps(wanted))
    return pack


def export_report(log: Path) -> list[str]:
    """The exporter's own fidelity lines (fp32 vs torch, int8 vs fp32), if it logged them."""
    try:
        text = log.read_text()
    except OSError:
        return []
    keys = ("cosine", "pack size", "max |diff|")
    return [line.strip() for line in text.splitlines() if any(k in line for k in keys)]
