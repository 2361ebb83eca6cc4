"""Cold start: launching ``desktop-album search`` in a fresh process until its first result.

    python -m benchmarks.bench_coldstart --library FILE --pack DIR --json OUT [--runs 5]

Each run starts ``python -m desktop_album --library FILE --model DIR search TEXT`` (what the
``desktop-album`` script runs) with a new user home (a new user's settings) and times the first
line of results on stdout; the child's peak resident memory comes from ``wait4``. The OS file
cache is warm (the library and the pack were just read), as after any earlier use of the app.

One more run, in process, times where the start goes: imports, opening the library, loading the
vectors, creating the text session, the query itself.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, latency_summary, write_json

QUERIES = ("a red car in the rain", "dog", "children playing on the beach at sunset", "snowy city")


def launch(library: Path, pack: Path, text: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="da-home-") as home:
        env = dict(os.environ, DESKTOP_ALBUM_HOME=home, PYTHONPATH=str(ROOT))
        cmd = [sys.executable, "-m", "desktop_album", "--library", str(library), "--model",
               str(pack), "search", text, "-k", "10"]  # fmt: skip
        begin = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()
        first_result = time.perf_counter() - begin
        rest = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        exited = time.perf_counter() - begin
    if os.waitstatus_to_exitcode(status) != 0 or not first.strip():
        raise SystemExit(f"search failed ({status}): {first!r} {rest[-500:]!r}")
    scale = 1 if sys.platform == "darwin" else 1024
    return {
        "first_result_s": first_result,
        "exit_s": exited,
        "peak_rss_mib": usage.ru_maxrss * scale / 2**20,
    }


def breakdown(library: Path, pack: Path) -> dict[str, float]:
    """Where a start goes, in this process (run it first: nothing is imported yet)."""
    home = tempfile.mkdtemp(prefix="da-home-")
    os.environ["DESKTOP_ALBUM_HOME"] = home
    parts: dict[str, float] = {}
    begin = time.perf_counter()
    import desktop_album.cli as cli
    from desktop_album.core import embedding, search
    from desktop_album.core import library as library_module

    parts["imports"] = time.perf_counter() - begin

    def wrap(owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                parts[label] = parts.get(label, 0.0) + time.perf_counter() - t0

        setattr(owner, name, timed)

    wrap(library_module.Library, "__init__", "open library")
    wrap(library_module.Library, "load_vectors", "read vectors (SQLite)")
    wrap(search.SearchEngine, "refresh", "load vectors (refresh, total)")
    wrap(embedding.ClipModel, "_session", "create text session")
    wrap(embedding.ClipModel, "embed_query", "encode query (incl. session)")
    wrap(search.VectorIndex, "search", "top-k")
    with open(os.devnull, "w") as sink:
        saved, sys.stdout = sys.stdout, sink
        try:
            t0 = time.perf_counter()
            cli.main(["--library", str(library), "--model", str(pack), "search", QUERIES[0]])
            parts["main"] = time.perf_counter() - t0
        finally:
            sys.stdout = saved
    parts["total"] = time.perf_counter() - begin
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--pack", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args()
    parts = breakdown(args.library, args.pack)
    runs = [launch(args.library, args.pack, QUERIES[i % len(QUERIES)]) for i in range(args.runs)]
    write_json(
        args.json,
        {
            "runs": runs,
            "first_result": latency_summary([r["first_result_s"] for r in runs]),
            "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
            "breakdown_s": parts,
        },
    )


if __name__ == "__main__":
    main()
