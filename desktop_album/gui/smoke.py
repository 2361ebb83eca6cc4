"""A headless end-to-end check of the window, for frozen builds and CI.

``desktop-album --smoke-test FOLDER`` opens the window, adds FOLDER through it, waits for the
index job, runs one search, writes a JSON report and quits: 0 on success, 1 on an error, 3 on a
timeout. No dialog is shown. The report goes to a file because a windowed executable on Windows
has no standard output.
"""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from desktop_album import __version__
from desktop_album.gui.main_window import MainWindow
from desktop_album.gui.records import IndexResult, ResultSet

EXIT_OK, EXIT_ERROR, EXIT_TIMEOUT = 0, 1, 3


@dataclass
class SmokeReport:
    version: str = __version__
    platform: str = field(default_factory=platform.platform)
    window_shown: bool = False
    indexed: int = 0
    failed: int = 0
    query: str = ""
    results: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None


class SmokeRun(QObject):
    """Drives one window through add folder -> index -> search, then quits the app."""

    def __init__(
        self,
        window: MainWindow,
        folder: Path,
        query: str,
        report_file: Path | None,
        timeout_s: float,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.folder = folder
        self.report = SmokeReport(query=query)
        self.report_file = report_file
        self.code = EXIT_TIMEOUT
        self._started = time.perf_counter()
        self._searched = False
        self._retries = 0
        window.index.finished.connect(self._indexed)
        window.resultsShown.connect(self._results)
        window.index.error.connect(self._error)
        QTimer.singleShot(int(timeout_s * 1000), self, self._timeout)

    def start(self) -> None:
        self.report.window_shown = self.window.isVisible()
        self.window.add_folders([str(self.folder)])

    def _indexed(self, result: IndexResult) -> None:
        if self._searched or result.live:
            return
        self.report.indexed += result.indexed + result.reused
        self.report.failed += len(result.failed)
        if self.report.indexed == 0:
            return  # the start-up catch-up job; ours is still to come
        self._searched = True
        self.window.run_query(self.report.query)

    def _results(self, result: ResultSet) -> None:
        if not self._searched:
            return
        if result.kind != "text" or result.query != self.report.query:
            # A browse that refreshed the grid after indexing made our query stale: ask again.
            self._retries += 1
            if self._retries <= 3:
                self.window.run_query(self.report.query)
            return
        self.report.results = [str(p.path) for p in result.rows[:5]]
        self._finish(EXIT_OK if self.report.results else EXIT_ERROR)

    def _error(self, message: str) -> None:
        self.report.error = message
        self._finish(EXIT_ERROR)

    def _timeout(self) -> None:
        self.report.error = self.report.error or "timed out"
        self._finish(EXIT_TIMEOUT)

    def _finish(self, code: int) -> None:
        if self.report.seconds:
            return
        self.code = code
        self.report.seconds = round(time.perf_counter() - self._started, 3)
        text = json.dumps(asdict(self.report), indent=2, ensure_ascii=False)
        if self.report_file is not None:
            self.report_file.write_text(text + "\n", encoding="utf-8")
        else:
            print(text)
        self.window.close()
        app = QApplication.instance()
        if app is not None:
            app.exit(code)
