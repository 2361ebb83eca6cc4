"""download_pack against a local HTTP server on 127.0.0.1: no test reaches the internet."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import threading
import time
from email.message import Message
from pathlib import Path

import pytest

from desktop_album.core.catalog import CatalogEntry
from desktop_album.core.download import (
    DownloadProgress,
    RateMeter,
    download_pack,
    published_sha256,
)
from desktop_album.core.errors import ChecksumError, DownloadCancelled, DownloadError
from desktop_album.core.pack_store import PackStore
from desktop_album.core.packs import load_pack
from tests.pack_server import PackServer, closed_port, entry_for, serve
from tests.packs import make_minimal_pack

NAME = "test-pack"
BIG = "visual/model.onnx"
TINY_PACK = Path(__file__).parents[1] / "fixtures" / "tiny-pack"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy from the environment must not see (or break) requests to the local server.
    for key in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def served(tmp_path: Path) -> Path:
    """The pack the server offers, at ``<root>/test-pack``."""
    folder = tmp_path / "server" / NAME
    if TINY_PACK.is_dir():
        shutil.copytree(TINY_PACK, folder)
    else:
        make_minimal_pack(folder)
    return folder


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"


def staged(models_dir: Path, file: str) -> Path:
    return models_dir / ".partial" / NAME / file


def assert_installed_copy_of(models_dir: Path, served: Path) -> None:
    installed = models_dir / NAME
    assert load_pack(installed).name == NAME
    for source in (p for p in served.rglob("*") if p.is_file()):
        rel = source.relative_to(served)
        assert (installed / rel).read_bytes() == source.read_bytes(), rel
    assert not (models_dir / ".partial").exists()


def assert_nothing_installed(models_dir: Path) -> None:
    assert not (models_dir / NAME).exists()
    assert PackStore(models_dir).names() == []


def test_downloads_and_installs_a_pack_checked_against_catalog_hashes(
    served: Path, models_dir: Path
) -> None:
    reports: list[DownloadProgress] = []
    with serve(PackServer(served.parent, linked_etag=False)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME), sizes=True, hashes=True)
        path = download_pack(entry, models_dir, progress=reports.append, timeout=5)

    assert path == models_dir / NAME
    assert_installed_copy_of(models_dir, served)
    assert {r.method for r in server.log} == {"GET"}  # the catalog knew everything: no HEAD
    total = sum(f.size or 0 for f in entry.files)
    assert reports[-1].bytes_done == reports[-1].bytes_total == total
    assert reports[-1].files_done == reports[-1].files_total == len(entry.files)
    assert [r.bytes_done for r in reports] == sorted(r.bytes_done for r in reports)
    # The catalog's license travels with the pack.
    assert PackStore(models_dir).installed()[0].license == "MIT"


def test_checks_the_sha256_published_on_the_redirect(served: Path, models_dir: Path) -> None:
    reports: list[DownloadProgress] = []
    with serve(PackServer(served.parent, redirect=True)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME))  # no sizes, no hashes
        download_pack(entry, models_dir, progress=reports.append, timeout=5)

    assert_installed_copy_of(models_dir, served)
    # Sizes were learned up front (HEAD, kept as HEAD across the redirect): "time left" works.
    total = sum(p.stat().st_size for p in served.rglob("*") if p.is_file())
    assert reports[0].bytes_total == total
    cdn = [r.method for r in server.log if r.path.startswith("/cdn/")]
    assert cdn.count("HEAD") == cdn.count("GET") == len(entry.files)


def test_a_wrong_published_checksum_fails_and_installs_nothing(
    served: Path, models_dir: Path
) -> None:
    with serve(PackServer(served.parent, redirect=True, wrong_etag=True)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME))
        with pytest.raises(ChecksumError, match=r"test-pack/config\.json"):
            download_pack(entry, models_dir, timeout=5)

    assert_nothing_installed(models_dir)
    assert not staged(models_dir, "config.json.part").exists()  # deleted, not resumed later


def test_a_catalog_checksum_mismatch_names_the_file(served: Path, models_dir: Path) -> None:
    with serve(PackServer(served.parent)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME), hashes=True)
        files = tuple(
            dataclasses.replace(f, sha256="0" * 64) if f.path == BIG else f for f in entry.files
        )
        with pytest.raises(ChecksumError, match=r"visual/model\.onnx"):
            download_pack(dataclasses.replace(entry, files=files), models_dir, timeout=5)

    assert_nothing_installed(models_dir)
    assert not staged(models_dir, BIG + ".part").exists()


def test_a_broken_off_transfer_resumes_with_a_range_request(served: Path, models_dir: Path) -> None:
    cut = 1000
    assert (served / BIG).stat().st_size > cut
    with serve(PackServer(served.parent, drop_after={BIG: cut})) as server:
        entry = entry_for(served, NAME, server.base_url(NAME), sizes=True, hashes=True)
        download_pack(entry, models_dir, timeout=5)

    assert server.ranges(BIG) == [None, f"bytes={cut}-"]
    assert_installed_copy_of(models_dir, served)


def test_a_partial_file_from_an_earlier_try_is_resumed(served: Path, models_dir: Path) -> None:
    kept = 1000
    part = staged(models_dir, BIG + ".part")
    part.parent.mkdir(parents=True)
    part.write_bytes((served / BIG).read_bytes()[:kept])
    reports: list[DownloadProgress] = []
    with serve(PackServer(served.parent)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME), sizes=True, hashes=True)
        download_pack(entry, models_dir, progress=reports.append, timeout=5)

    assert server.ranges(BIG) == [f"bytes={kept}-"]
    assert_installed_copy_of(models_dir, served)


def test_a_server_that_ignores_range_makes_the_file_start_again(
    served: Path, models_dir: Path
) -> None:
    part = staged(models_dir, BIG + ".part")
    part.parent.mkdir(parents=True)
    part.write_bytes(b"x" * 1000)  # would corrupt the file if the 200 answer were appended
    with serve(PackServer(served.parent, honour_range=False)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME), sizes=True, hashes=True)
        download_pack(entry, models_dir, timeout=5)

    assert server.ranges(BIG) == ["bytes=1000-"]
    assert_installed_copy_of(models_dir, served)


def test_a_complete_partial_file_is_accepted_on_416(served: Path, models_dir: Path) -> None:
    data = (served / BIG).read_bytes()
    part = staged(models_dir, BIG + ".part")
    part.parent.mkdir(parents=True)
    part.write_bytes(data)
    with serve(PackServer(served.parent)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME), hashes=True)
        download_pack(entry, models_dir, timeout=5)

    assert server.ranges(BIG) == [f"bytes={len(data)}-"]
    assert_installed_copy_of(models_dir, served)


@pytest.mark.parametrize("catalog_knows_sizes", [False, True], ids=["probe", "get"])
def test_a_missing_file_is_a_download_error_naming_the_url(
    served: Path, models_dir: Path, catalog_knows_sizes: bool
) -> None:
    missing = "textual/model.onnx"
    with serve(PackServer(served.parent, missing={missing})) as server:
        entry = entry_for(
            served,
            NAME,
            server.base_url(NAME),
            sizes=catalog_knows_sizes,
            hashes=catalog_knows_sizes,
        )
        url = f"{server.base_url(NAME)}/{missing}"
        with pytest.raises(DownloadError, match="404") as caught:
            download_pack(entry, models_dir, timeout=5)

    assert url in str(caught.value)
    assert not isinstance(caught.value, ChecksumError)
    assert_nothing_installed(models_dir)
    if not catalog_knows_sizes:  # the HEAD probe failed it before any file was fetched
        assert not [r for r in server.log if r.method == "GET"]


def test_offline_gives_the_manual_install_advice(served: Path, models_dir: Path) -> None:
    entry = entry_for(served, NAME, f"http://127.0.0.1:{closed_port()}/{NAME}")

    with pytest.raises(DownloadError) as caught:
        download_pack(entry, models_dir, timeout=5)

    message = str(caught.value)
    assert "offline" in message
    assert "desktop-album models import DIR" in message
    assert "Use a pack folder…" in message  # the window's button, as it is labelled
    assert entry.homepage in message
    assert "\n" not in message
    assert_nothing_installed(models_dir)


def run_in_thread(
    entry: CatalogEntry, models_dir: Path, **kwargs: object
) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            download_pack(entry, models_dir, **kwargs)  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread, errors


def test_cancel_stops_a_slow_download_and_keeps_the_partial_file(
    served: Path, models_dir: Path
) -> None:
    first = threading.Event()
    reports: list[DownloadProgress] = []
    cancel = threading.Event()

    def progress(report: DownloadProgress) -> None:
        reports.append(report)
        first.set()

    # 16 bytes per 0.1 s: the first file takes far longer than cancelling does.
    with serve(PackServer(served.parent, chunk=16, delay=0.1)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME), sizes=True, hashes=True)
        thread, errors = run_in_thread(
            entry, models_dir, progress=progress, cancel=cancel, timeout=5
        )
        assert first.wait(5)
        started = time.monotonic()
        cancel.set()
        thread.join(5)
        assert not thread.is_alive()
        assert time.monotonic() - started < 2
        assert len(errors) == 1 and isinstance(errors[0], DownloadCancelled)
        assert_nothing_installed(models_dir)
        file = reports[0].file
        kept = staged(models_dir, file + ".part").stat().st_size
        assert 0 < kept < (served / file).stat().st_size

        # The next try fetches only the rest.
        server.delay, server.chunk = 0.0, 64 * 1024
        download_pack(entry, models_dir, timeout=5)

    assert server.ranges(file)[-1] == f"bytes={kept}-"
    assert_installed_copy_of(models_dir, served)


def test_a_stalled_server_times_out(served: Path, models_dir: Path) -> None:
    with serve(PackServer(served.parent, stall=threading.Event(), chunk=16)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME), sizes=True, hashes=True)
        started = time.monotonic()
        with pytest.raises(DownloadError, match=r"sent nothing for 0\.3 s") as caught:
            download_pack(entry, models_dir, timeout=0.3)
        assert time.monotonic() - started < 3
    assert not isinstance(caught.value, DownloadCancelled)
    assert_nothing_installed(models_dir)


def test_cancel_during_a_stall_reports_cancelled(served: Path, models_dir: Path) -> None:
    cancel, first = threading.Event(), threading.Event()
    server = PackServer(served.parent, stall=threading.Event(), chunk=16)
    with serve(server):
        entry = entry_for(served, NAME, server.base_url(NAME), sizes=True, hashes=True)
        thread, errors = run_in_thread(
            entry, models_dir, cancel=cancel, timeout=0.5, progress=lambda _: first.set()
        )
        assert first.wait(5)  # a chunk arrived; the next read waits on a silent server
        cancel.set()
        thread.join(5)
        assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], DownloadCancelled)
    assert_nothing_installed(models_dir)


def test_a_new_download_replaces_the_installed_pack_whole(served: Path, models_dir: Path) -> None:
    old = make_minimal_pack(models_dir / NAME, dim=4)
    (old / "old-marker.txt").write_text("from the previous install")
    with serve(PackServer(served.parent)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME), sizes=True, hashes=True)
        download_pack(entry, models_dir, timeout=5)

    assert not (models_dir / NAME / "old-marker.txt").exists()
    assert sorted(p.name for p in models_dir.iterdir()) == [NAME]  # nothing left aside
    assert_installed_copy_of(models_dir, served)


def test_verified_files_that_make_no_pack_are_not_installed(served: Path, models_dir: Path) -> None:
    config = json.loads((served / "config.json").read_text())
    dim = config.pop("embed_dim")
    (served / "config.json").write_text(json.dumps(config))
    with serve(PackServer(served.parent)) as server:
        entry = entry_for(
            served, NAME, server.base_url(NAME), sizes=True, hashes=True, embed_dim=dim
        )
        with pytest.raises(DownloadError, match=r"not usable.*embed_dim"):
            download_pack(entry, models_dir, timeout=5)

    assert_nothing_installed(models_dir)
    assert not (models_dir / ".partial" / NAME).exists()


def test_rate_meter_smooths_and_estimates_time_left() -> None:
    now = [0.0]
    meter = RateMeter(clock=lambda: now[0], window=0.5, smoothing=0.5)
    now[0] = 0.25
    meter.add(250)
    assert meter.rate == pytest.approx(1000)  # before the first window: the plain average
    now[0] = 0.5
    meter.add(250)
    assert meter.rate == pytest.approx(1000)
    now[0] = 1.0
    meter.add(1000)  # 2000 B/s in this window, halfway there with smoothing 0.5
    assert meter.rate == pytest.approx(1500)
    assert meter.seconds_left(3000) == pytest.approx(2.0)
    assert meter.seconds_left(None) is None


def test_published_sha256_reads_hugging_face_headers() -> None:
    digest = hashlib.sha256(b"x").hexdigest()
    redirect, cdn, git_file = Message(), Message(), Message()
    redirect["X-Linked-ETag"] = f'"{digest}"'
    cdn["ETag"] = '"abc123"'
    git_file["ETag"] = '"' + "a" * 40 + '"'  # a git blob sha1: not a checksum we can use

    assert published_sha256([redirect, cdn]) == digest
    assert published_sha256([git_file]) is None
    weak = Message()
    weak["ETag"] = f'W/"{digest.upper()}"'
    assert published_sha256([weak]) == digest


def test_a_pack_whose_size_disagrees_with_the_catalog_is_not_installed(
    served: Path, models_dir: Path
) -> None:
    with serve(PackServer(served.parent)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME), hashes=True)
        entry = dataclasses.replace(entry, embed_dim=entry.embed_dim + 1)
        with pytest.raises(DownloadError, match="dimensions, the catalog says"):
            download_pack(entry, models_dir, timeout=5)
    assert_nothing_installed(models_dir)


def test_a_server_without_head_still_works(served: Path, models_dir: Path) -> None:
    reports: list[DownloadProgress] = []
    with serve(PackServer(served.parent, head=False)) as server:
        entry = entry_for(served, NAME, server.base_url(NAME))
        download_pack(entry, models_dir, progress=reports.append, timeout=5)
    assert_installed_copy_of(models_dir, served)
    assert reports[-1].bytes_total == reports[-1].bytes_done  # sizes learned from the GETs
