"""How a download stands, and a transfer rate smooth enough to estimate time left. No Qt."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DownloadProgress:
    """Where a pack download stands. Sizes in bytes, rate in bytes per second."""

    name: str
    file: str  # the file being fetched, relative to the pack
    files_done: int
    files_total: int
    bytes_done: int  # the whole pack, including bytes kept from an earlier try
    bytes_total: int | None  # None while some file's size is unknown
    rate: float  # smoothed
    seconds_left: float | None

    @property
    def fraction(self) -> float | None:
        if not self.bytes_total:
            return None
        return min(1.0, self.bytes_done / self.bytes_total)


class RateMeter:
    """A transfer rate smoothed by an exponential moving average over short windows.

    A raw per-chunk rate jumps with every TCP burst, which makes "time left" unreadable; a
    window of half a second with smoothing 0.3 settles in a few seconds and still follows a
    real change of speed.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        window: float = 0.5,
        smoothing: float = 0.3,
    ) -> None:
        self._clock = clock
        self._window = window
        self._smoothing = smoothing
        self._start = clock()
        self._window_start = self._start
        self._window_bytes = 0
        self._total = 0
        self._rate: float | None = None

    def add(self, count: int) -> None:
        self._total += count
        self._window_bytes += count
        now = self._clock()
        elapsed = now - self._window_start
        if elapsed >= self._window:
            current = self._window_bytes / elapsed
            if self._rate is None:
                self._rate = current
            else:
                self._rate += self._smoothing * (current - self._rate)
            self._window_start, self._window_bytes = now, 0

    @property
    def rate(self) -> float:
        if self._rate is not None:
            return self._rate
        elapsed = self._clock() - self._start  # before the first window: the average so far
        return self._total / elapsed if elapsed > 0 else 0.0

    def seconds_left(self, remaining: int | None) -> float | None:
        rate = self.rate
        if remaining is None or rate <= 0:
            return None
        return max(0.0, remaining / rate)
