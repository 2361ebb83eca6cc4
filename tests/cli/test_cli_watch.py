"""``desktop-album watch`` as an always-on machine runs it: a real process, real signals."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.crash_worker import find_pack, make_photos

REPO = Path(__file__).parents[2]
WAIT_S = 30.0


class WatchProcess:
    """The command in a child process; its output lines are read on a thread."""

    def __init__(self, tmp_path: Path, pack: Path, *args: str, db: Path | None = None) -> None:
        self.db = db or tmp_path / "library.db"
        self.lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        self.child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "desktop_album",
                "--library",
                str(self.db),
                "--model",
                str(pack),
                "watch",
                "--debounce",
                "0.2",
                "--check-interval",
                "0.2",
                "--batch-size",
                "4",
                *args,
            ],
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "DESKTOP_ALBUM_HOME": str(tmp_path / "home")},
        )
        self.readers = [
            threading.Thread(target=self._read, args=(name, stream), daemon=True)
            for name, stream in (("out", self.child.stdout), ("err", self.child.stderr))
        ]
        for reader in self.readers:
            reader.start()

    def close(self) -> None:
        if self.child.poll() is None:
            self.child.kill()
        self.child.wait()
        for reader in self.readers:
            reader.join(WAIT_S)  # they end at the end of the output
        for stream in (self.child.stdout, self.child.stderr):
            if stream is not None:
                stream.close()

    def _read(self, name: str, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put((name, line.rstrip("\n")))

    def expect(self, predicate: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            try:
                item = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(item)
            if predicate(item[1]):
                return item[1]
        raise AssertionError(f"no line with {what}; got {self.seen}")

    def stop(self, sig: signal.Signals) -> tuple[int, float]:
        """Send ``sig``; return the exit status and the seconds until the process said it
        stopped."""
        sent = time.monotonic()
        self.child.send_signal(sig)
        self.expect(lambda line: line.startswith("Stopped"), "the stop message")
        said = time.monotonic() - sent
        return self.child.wait(timeout=WAIT_S), said


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return find_pack(tmp_path)


@pytest.fixture
def watching(tmp_path: Path, pack: Path) -> Iterator[Callable[..., WatchProcess]]:
    started: list[WatchProcess] = []

    def start(*args: str, db: Path | None = None) -> WatchProcess:
        process = WatchProcess(tmp_path, pack, *args, db=db)
        started.append(process)
        return process

    yield start
    for process in started:
        process.close()


def wait_for_vectors(db: Path, at_least: int) -> None:
    """Poll the library (from outside, as a user would) until it holds some vectors."""
    pause = threading.Event()
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(db) as conn:
                if conn.execute("SELECT count(*) FROM embeddings").fetchone()[0] >= at_least:
                    return
        except sqlite3.OperationalError:
            pass  # not created yet
        pause.wait(0.005)
    raise AssertionError("no vectors appeared")


def consistent_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ok = conn.execute("SELECT count(*) FROM photos WHERE status = 'ok'").fetchone()[0]
        vectors = conn.execute("SELECT count(*) FROM embeddings").fetchone()[0]
        total = conn.execute("SELECT count(*) FROM photos").fetchone()[0]
    assert ok == vectors  # no batch half-written
    return {"ok": ok, "total": total}


def test_watch_indexes_new_photos_and_stops_on_ctrl_c(
    tmp_path: Path, watching: Callable[..., WatchProcess]
) -> None:
    folder = tmp_path / "photos"
    make_photos(folder, 8)
    process = watching(str(folder))
    process.expect(lambda line: line.startswith("Watching"), "the watching line")
    process.expect(lambda line: line.startswith("+8 new"), "the start-up catch-up")

    make_photos(folder / "today", 5, seed=1)
    line = process.expect(lambda line: "+5 new" in line, "the batch line")
    assert line == f"+5 new in {folder.resolve()}"

    code, seconds = process.stop(signal.SIGINT)
    print(f"SIGINT while watching: stopped in {seconds:.2f} s")
    assert code == 0
    assert seconds < 1.5, f"took {seconds:.2f} s to stop"
    assert consistent_counts(process.db) == {"ok": 13, "total": 13}


def test_sigterm_while_indexing_leaves_nothing_half_written(
    tmp_path: Path, watching: Callable[..., WatchProcess]
) -> None:
    folder = tmp_path / "photos"
    make_photos(folder, 400, size=64)
    process = watching(str(folder))
    process.expect(lambda line: line.startswith("Watching"), "the watching line")
    # The start-up reconcile is indexing 400 photos, 4 per transaction: stop it once the
    # first batches are in.
    wait_for_vectors(process.db, at_least=8)
    code, seconds = process.stop(signal.SIGTERM)
    assert code == 0
    assert seconds < 1.5, f"took {seconds:.2f} s to stop"
    counts = consistent_counts(process.db)
    assert counts["total"] == 400
    print(f"SIGTERM after {counts['ok']} of 400 photos indexed: stopped in {seconds:.2f} s")

    # The next run picks up where this one stopped.
    again = watching(str(folder))
    again.expect(lambda line: line.startswith("Watching"), "the watching line")
    again.expect(
        lambda line: "new" in line or "embedded" in line or line.startswith("Up to date"),
        "the catch-up",
    )
    assert again.stop(signal.SIGINT)[0] == 0
    assert consistent_counts(again.db) == {"ok": 400, "total": 400}


def test_many_vanishing_photos_are_not_marked_missing_without_a_yes(
    tmp_path: Path, watching: Callable[..., WatchProcess]
) -> None:
    folder = tmp_path / "photos"
    files = make_photos(folder, 40)
    process = watching(str(folder))
    process.expect(lambda line: line.startswith("Watching"), "the watching line")
    process.expect(lambda line: line.startswith("+40 new"), "the start-up catch-up")
    for path in files[:25]:
        path.unlink()
    process.expect(lambda line: "NOT marked missing" in line, "the held-back notice")
    assert process.stop(signal.SIGINT)[0] == 0
    with sqlite3.connect(process.db) as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM photos")]
    assert statuses.count("missing") == 0

    confirmed = watching(str(folder), "--yes")
    confirmed.expect(lambda line: "25 missing" in line, "the confirmed deletion")
    assert confirmed.stop(signal.SIGINT)[0] == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 8 MB file system (tmpfs), to fill up. Mounting needs root, as CI has."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Write a file until the disk is full; returns it (delete it to free the space)."""
    ballast = folder / "ballast"
    block = b"\0" * (64 << 10)
    with open(ballast, "wb", buffering=0) as handle:  # unbuffered: closing has nothing to flush
        try:
            while True:
                handle.write(block)
                handle.flush()
        except OSError:
            pass
    return ballast


def test_watch_survives_a_full_disk_and_resumes_when_space_returns(
    tmp_path: Path, small_disk: Path, watching: Callable[..., WatchProcess]
) -> None:
    folder = tmp_path / "photos"
    make_photos(folder, 8)
    process = watching(str(folder), db=small_disk / "library.db")
    process.expect(lambda line: line.startswith("+8 new"), "the start-up catch-up")

    ballast = fill(small_disk)
    make_photos(folder / "more", 12, seed=5)
    line = process.expect(lambda line: "disk is full" in line, "the full-disk message")
    assert "Watching goes on" in line
    assert process.child.poll() is None  # still running

    ballast.unlink()
    process.expect(lambda line: "resumed" in line, "indexing resumed")
    wait_for_vectors(process.db, at_least=20)
    assert process.stop(signal.SIGINT)[0] == 0
    assert consistent_counts(process.db) == {"ok": 20, "total": 20}


def test_watch_follows_a_root_added_by_another_process(
    tmp_path: Path, pack: Path, watching: Callable[..., WatchProcess]
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    make_photos(first, 3)
    make_photos(second, 4, seed=2)
    process = watching(str(first))
    process.expect(lambda line: line.startswith("+3 new"), "the start-up catch-up")

    # Another process adds a folder (and indexes it) while watch runs.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_album",
            "--library",
            str(process.db),
            "--model",
            str(pack),
            "index",
            str(second),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "DESKTOP_ALBUM_HOME": str(tmp_path / "home")},
        timeout=WAIT_S * 4,
        check=False,
    )
    assert done.returncode == 0, done.stderr

    # watch notices the new root and follows it: a photo copied there is indexed.
    make_photos(second / "later", 2, seed=3)
    line = process.expect(lambda line: "+2 new" in line, "the new root followed")
    assert str(second.resolve()) in line
    assert process.stop(signal.SIGINT)[0] == 0
    assert consistent_counts(process.db) == {"ok": 9, "total": 9}
