"""Smoke-test the FROZEN app in ``dist/desktop-album`` the way a user would run it, headless.

    python packaging/smoke_test.py [--dist dist/desktop-album] [--pack tests/fixtures/tiny-pack]

1. ``desktop-album-cli --version`` prints the version of the source tree.
2. ``desktop-album-cli`` indexes a folder of generated shape photos with the test pack, then
   ``search "a red circle" --json`` must list a red circle first, and ``status --json`` must count
   every photo; ``models list`` must read the catalog shipped inside the build.
3. The windowed ``desktop-album`` opens its window offscreen. With ``--smoke-test FOLDER`` (see
   docs/building.md) it also indexes and searches, writes a report and exits 0; an app without
   that flag is only checked to start and stay up for a few seconds, then is stopped.

Everything runs with ``QT_QPA_PLATFORM=offscreen``, ``DESKTOP_ALBUM_HOME`` in a temporary
folder, and the working directory outside the repository, so the frozen app cannot import the
source tree by accident. Exit status 0 when every check passed; 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for models.shapes (the test photos), never for the app itself

from models.shapes import make_corpus  # noqa: E402

QUERY = "a red circle"
PHOTOS = 40  # every colour x shape pair once: 5 red circles is too few to rank by chance
STEP_TIMEOUT = 300
GUI_ALIVE_SECONDS = 8


class SmokeFailure(Exception):
    """A check failed; the message says which and shows what the app printed."""


def executable(dist: Path, name: str) -> Path:
    path = dist / (name + ".exe" if sys.platform == "win32" else name)
    if not path.is_file():
        raise SmokeFailure(f"{path} is missing: build first (pyinstaller --noconfirm build.spec)")
    return path


def corpus_specs(folder: Path, seed: int) -> dict[str, tuple[str, str]]:
    """Write the test photos; (colour, shape) of each, by resolved path."""
    corpus = make_corpus(folder, count=PHOTOS, seed=seed)
    return {str(path.resolve()): (spec.color, spec.shape) for path, spec in corpus}


def source_version() -> str:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "spec_support", ROOT / "packaging" / "spec_support.py"
    )
    assert spec is not None and spec.loader is not None
    support = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(support)
    version: str = support.read_version(ROOT)
    return version


class Runner:
    """Runs the frozen executables in a clean environment and reports each step."""

    def __init__(self, dist: Path, work: Path) -> None:
        self.cli = executable(dist, "desktop-album-cli")
        self.gui = executable(dist, "desktop-album")
        self.work = work
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_", "DESKTOP_"))
        }
        self.env.update(
            DESKTOP_ALBUM_HOME=str(work / "home"),
            QT_QPA_PLATFORM="offscreen",
            PYTHONUTF8="1",
            PYTHONIOENCODING="utf-8",
        )

    def run(self, exe: Path, *args: str) -> subprocess.CompletedProcess[str]:
        started = time.perf_counter()
        try:
            result = subprocess.run(
                [str(exe), *args],
                cwd=self.work,
                env=self.env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=STEP_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise SmokeFailure(
                f"{exe.name} {' '.join(args)}: no answer in {STEP_TIMEOUT} s"
            ) from exc
        seconds = time.perf_counter() - started
        print(f"  {exe.name} {' '.join(args)}  -> {result.returncode} in {seconds:.1f} s")
        if result.returncode != 0:
            raise SmokeFailure(
                f"{exe.name} {' '.join(args)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result


def check_cli(runner: Runner, pack: Path, photos: Path, specs: dict[str, tuple[str, str]]) -> None:
    out = runner.run(runner.cli, "--version").stdout.strip()
    want = source_version()
    if out.split()[-1:] != [want]:
        raise SmokeFailure(f"--version printed {out!r}; the source says {want}")

    runner.run(runner.cli, "models", "list")  # reads the catalog shipped inside the build
    runner.run(runner.cli, "models", "import", str(pack))  # the first model becomes the active one
    runner.run(runner.cli, "index", str(photos))
    check_top_hit(runner.run(runner.cli, "search", QUERY, "--json", "-k", "5").stdout, specs)
    status = json.loads(runner.run(runner.cli, "status", "--json").stdout)
    if status["counts"]["ok"] != len(specs):
        raise SmokeFailure(f"status counts {status['counts']}, expected {len(specs)} ok")


def check_top_hit(output: str, specs: dict[str, tuple[str, str]]) -> None:
    hits = json.loads(output) if output.lstrip().startswith("[") else output
    if not hits:
        raise SmokeFailure("the search found nothing")
    first = Path(hits[0]["path"] if isinstance(hits[0], dict) else hits[0]).resolve()
    print(f"  top hit for {QUERY!r}: {first.name}")
    if specs.get(str(first)) != ("red", "circle"):
        raise SmokeFailure(f"the top hit for {QUERY!r} is {first.name}, not a red circle: {hits}")


def gui_has_smoke_flag(runner: Runner) -> bool:
    """Both executables parse the same options: ask the console one, which can print."""
    probe = subprocess.run(
        [str(runner.cli), "--smoke-test"],
        cwd=runner.work,
        env=runner.env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    return "unrecognized arguments" not in probe.stderr and "invalid choice" not in probe.stderr


def check_gui(
    runner: Runner,
    photos: Path,
    specs: dict[str, tuple[str, str]],
    new_photos: int,
    smoke_flag: bool,
) -> None:
    if smoke_flag:
        report = runner.work / "gui-smoke.json"
        runner.run(runner.gui, "--smoke-test", str(photos), "--smoke-report", str(report))
        data = json.loads(report.read_text(encoding="utf-8"))
        print(f"  window report: { {k: v for k, v in data.items() if k != 'results'} }")
        if not data.get("window_shown") or data.get("indexed") != new_photos:
            raise SmokeFailure(f"the window did not show or index the folder: {data}")
        check_top_hit(json.dumps(data.get("results", [])), specs)
        return
    # No smoke flag in this app: the window must start and stay up; then we stop it.
    log = runner.work / "gui.log"
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [str(runner.gui)], cwd=runner.work, env=runner.env, stdout=sink, stderr=sink
        )
        try:
            code = process.wait(timeout=GUI_ALIVE_SECONDS)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait(timeout=30)
            print(f"  desktop-album (window) stayed up {GUI_ALIVE_SECONDS} s offscreen; stopped it")
            print("  (no --smoke-test flag in this app: the window was not driven)")
            return
    raise SmokeFailure(
        f"desktop-album (window) exited {code} within {GUI_ALIVE_SECONDS} s:\n"
        + log.read_text(encoding="utf-8", errors="replace")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Smoke-test the frozen Desktop Album.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "desktop-album")
    parser.add_argument("--pack", type=Path, default=ROOT / "tests" / "fixtures" / "tiny-pack")
    parser.add_argument("--skip-gui", action="store_true", help="only the console executable")
    parser.add_argument(
        "--gui-smoke-flag",
        choices=("auto", "yes", "no"),
        default="auto",
        help="drive the window with its --smoke-test flag (auto: when the app accepts it)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    pack = args.pack.resolve()
    if not (pack / "config.json").is_file():
        print(f"FAIL: no model pack at {pack}", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="desktop-album-smoke-"))
    started = time.perf_counter()
    try:
        runner = Runner(args.dist.resolve(), work)
        photos, more = work / "photos", work / "photos-window"
        specs = corpus_specs(photos, seed=7)
        print(f"Smoke test of {runner.cli.parent} ({len(specs)} photos in {photos})")
        check_cli(runner, pack, photos, specs)
        if not args.skip_gui:
            flag = args.gui_smoke_flag == "yes" or (
                args.gui_smoke_flag == "auto" and gui_has_smoke_flag(runner)
            )
            # A folder the window indexes itself (names differ from the first folder's).
            check_gui(runner, more, {**specs, **corpus_specs(more, seed=8)}, PHOTOS, flag)
    except SmokeFailure as exc:
        print(f"FAIL: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"PASS in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
