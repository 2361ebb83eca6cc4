"""An indexing process killed with SIGKILL at random moments loses at most the batch in flight.

The child (``tests/crash_worker.py``) indexes with batches of 4, so a run commits many times; it
reports on a pipe when it is ready, what went through the model and what committed. The test
waits for "ready" (never a sleep to synchronise), then lets a seeded random delay pass - that
delay *is* the kill timing - snapshots what is committed, and kills. After every kill: the file
is intact, everything committed before the kill is still there, untouched, and the work lost is
at most one batch. The next run redoes nothing that was committed.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.crash_worker import find_pack, make_photos

BATCH = 4
KILLS = 20
PHOTOS_PER_DELIVERY = 160  # new photos arrive when the previous ones are all indexed
# Kill delays are drawn from [0, this x the last uninterrupted run's length]: most kills land
# inside a run however fast this machine (and the model) is, a few after it.
KILL_SPREAD = 1.1
REPO = Path(__file__).parents[2]


@dataclass
class Run:
    killed: bool
    seconds: float = 0.0  # from "ready" to the end of the run
    lines: list[str] = field(default_factory=list)

    @property
    def embedded(self) -> int:
        return sum(int(line.split()[1]) for line in self.lines if line.startswith("embedded "))

    @property
    def committed_ids(self) -> set[int]:
        ids: set[int] = set()
        for line in self.lines:
            if line.startswith("committed "):
                ids.update(int(i) for i in line.split()[1:])
        return ids


def committed(db: Path) -> dict[int, tuple[int, bytes]]:
    """photo id -> (embedding rowid, vector) as committed now, read by another connection."""
    if not db.exists():
        return {}
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT photo_id, rowid, vector FROM embeddings").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def pending_count(db: Path, photos_on_disk: int) -> int:
    """Photos still to embed: on disk but without a vector."""
    return photos_on_disk - len(committed(db))


def check_consistent(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # A batch is one transaction: a photo is ok exactly when its vector is stored.
        half_written = conn.execute(
            "SELECT count(*) FROM photos p WHERE (p.status = 'ok') != "
            "EXISTS (SELECT 1 FROM embeddings e WHERE e.photo_id = p.id)"
        ).fetchone()[0]
        assert half_written == 0


def run_worker(
    db: Path, folder: Path, pack: Path, kill_after: float | None
) -> tuple[Run, dict[int, tuple[int, bytes]]]:
    """One child run, killed ``kill_after`` seconds after it says ready (None: let it finish).
    Returns the run and the snapshot of what was committed just before the kill."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_worker", str(db), str(folder), str(pack), str(BATCH)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert child.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.put(line.strip())
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    run = Run(killed=False)
    first = lines.get(timeout=60)
    assert first == "ready", f"child said {first!r}: {child.stderr.read() if child.stderr else ''}"
    run.lines.append(first)
    started = time.monotonic()
    snapshot: dict[int, tuple[int, bytes]] = {}
    if kill_after is not None:
        try:
            child.wait(timeout=kill_after)  # the random kill moment (or the run ends first)
        except subprocess.TimeoutExpired:
            snapshot = committed(db)
            child.send_signal(signal.SIGKILL)
            run.killed = True
    code = child.wait(timeout=120)
    run.seconds = time.monotonic() - started
    reader.join(timeout=10)
    while (line := lines.get_nowait() if not lines.empty() else None) is not None:
        run.lines.append(line)
    if not run.killed:
        assert code == 0, child.stderr.read() if child.stderr else ""
        assert run.lines[-1].startswith("done ")
    if child.stderr is not None:
        child.stderr.close()
    child.stdout.close()
    return run, snapshot


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_at_most_one_batch(tmp_path: Path) -> None:
    pack = find_pack(tmp_path)
    folder = tmp_path / "photos"
    db = tmp_path / "library.db"
    rng = random.Random(20261125)
    on_disk = 0
    deliveries = 0
    kills = finished = 0
    lost: list[int] = []
    typical_run_s = 0.3

    while kills < KILLS:
        assert kills + finished < 4 * KILLS, "the child keeps finishing before the kill"
        if pending_count(db, on_disk) == 0:
            make_photos(folder / f"delivery{deliveries}", PHOTOS_PER_DELIVERY, seed=deliveries)
            deliveries += 1
            on_disk += PHOTOS_PER_DELIVERY
        before = committed(db)
        pending_before = on_disk - len(before)

        delay = rng.uniform(0.0, KILL_SPREAD * typical_run_s)
        run, snapshot = run_worker(db, folder, pack, delay)
        check_consistent(db)
        after = committed(db)
        # Nothing committed before this run was redone: same rows (rowids), same vectors.
        assert all(after.get(pid) == row for pid, row in before.items())
        # The run embedded only photos that had no vector.
        assert run.embedded <= pending_before
        # Every photo the child reported committed is there.
        assert run.committed_ids <= after.keys()
        if run.killed:
            kills += 1
            # Everything committed before the kill survived it, unchanged.
            assert all(after.get(pid) == row for pid, row in snapshot.items())
            # Work lost: photos that went through the model but whose batch did not commit.
            new_rows = len(after) - len(before)
            lost.append(run.embedded - new_rows)
            assert 0 <= lost[-1] <= BATCH
        else:
            finished += 1
            if pending_before == PHOTOS_PER_DELIVERY:
                typical_run_s = run.seconds
            assert run.embedded == pending_before  # a run that ends leaves nothing behind

    # A last, unkilled run finishes the job and redoes nothing.
    before = committed(db)
    run, _ = run_worker(db, folder, pack, None)
    check_consistent(db)
    assert run.embedded == on_disk - len(before)
    assert len(committed(db)) == on_disk
    print(
        f"\ncrash test: {kills} kills, {finished} runs ended before their kill, "
        f"{on_disk} photos in {deliveries} deliveries; photos lost per kill (redone by the "
        f"next run): max {max(lost)}, total {sum(lost)}, batch size {BATCH}"
    )
