"""Downloads from the Hub's own file list, against a local Hub look-alike on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from desktop_album.core import hub
from desktop_album.core.catalog import CatalogEntry
from desktop_album.core.download import DownloadProgress, download_pack
from desktop_album.core.errors import (
    DISK_FULL,
    ChecksumError,
    DiskFullError,
    DownloadCancelled,
    DownloadError,
)
from desktop_album.core.pack_store import PackStore
from desktop_album.core.settings import Settings
from tests.pack_server import HubServer, VirtualFile, git_blob_id, serve_hub
from tests.packs import make_minimal_pack

REPO = "immich-app/test-pack"
NAME = "test-pack"
TINY_PACK = Path(__file__).parents[1] / "fixtures" / "tiny-pack"
EXTERNAL = "visual/model.onnx_data"  # an ONNX external-data file next to its model
# What the repository holds besides the pack (immich's builds for other hardware, git files).
NOT_THE_PACK = {
    ".gitattributes": b"*.onnx filter=lfs diff=lfs merge=lfs -text\n",
    "README.md": b"# test pack\n",
    "visual/model.armnn": b"armnn build",
    "visual/rk3588/model.rknn": b"rknn build",
}


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.delenv(hub.ENDPOINT_VARIABLE, raising=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The repository the Hub serves: a pack, an external-data file, and other things."""
    folder = tmp_path / "hub" / REPO
    if TINY_PACK.is_dir():
        shutil.copytree(TINY_PACK, folder)
    else:
        make_minimal_pack(folder)
    (folder / EXTERNAL).write_bytes(os.urandom(300_000))
    for rel, data in NOT_THE_PACK.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"


def entry(embed_dim: int | None = None) -> CatalogEntry:
    """A catalog entry as the shipped catalog has them: a repo, no file list."""
    return CatalogEntry(
        name=NAME,
        title=NAME,
        description="",
        languages=("en",),
        embed_dim=embed_dim,
        license="MIT",
        homepage=f"https://huggingface.co/{REPO}",
        repo=REPO,
    )


def pack_files(repo: Path) -> set[str]:
    every = {p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()}
    return every - set(NOT_THE_PACK)


def hub_server(repo: Path, **kwargs: object) -> HubServer:
    return HubServer(repo.parents[1], **kwargs)  # type: ignore[arg-type]


def test_every_file_of_the_pack_comes_from_the_hubs_list(repo: Path, models_dir: Path) -> None:
    reports: list[DownloadProgress] = []
    with serve_hub(hub_server(repo, page_size=3)) as server:
        path = download_pack(
            entry(), models_dir, endpoint=server.endpoint, progress=reports.append, timeout=10
        )

    wanted = pack_files(repo)
    assert EXTERNAL in wanted
    installed = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
    assert installed == wanted | {"desktop_album.json"}  # + the catalog's license note
    for rel in wanted:
        assert (path / rel).read_bytes() == (repo / rel).read_bytes(), rel
    # The tree was read page by page (Link: rel="next"), and other builds were not fetched.
    assert len([r for r in server.log if "/tree/" in r.path]) > 2
    assert not [r for r in server.log if r.path.endswith(("README.md", ".armnn", ".rknn"))]
    # Sizes and checksums came from the list: no HEAD, and the total was known from the start.
    assert {r.method for r in server.log} == {"GET"}
    total = sum((repo / rel).stat().st_size for rel in wanted)
    assert reports[0].bytes_total == total
    assert reports[-1].bytes_done == total and reports[-1].files_total == len(wanted)
    # LFS files came from the other host the Hub redirected to; git files from the Hub itself.
    cdn = f"/lfs/{REPO}/"
    assert [r.path for r in server.gets(f"{REPO}/{EXTERNAL}")][-1] == cdn + EXTERNAL
    assert server.gets(f"{REPO}/config.json")[0].path.endswith("/resolve/main/config.json")
    assert not (models_dir / ".partial").exists()


def test_files_from_an_earlier_listing_are_not_installed(repo: Path, models_dir: Path) -> None:
    stale = models_dir / ".partial" / NAME / "visual" / "old_model.onnx"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"from a revision that had it")
    stale.with_name("other.onnx.part").write_bytes(b"half")
    with serve_hub(hub_server(repo)) as server:
        path = download_pack(entry(), models_dir, endpoint=server.endpoint, timeout=10)
    assert not (path / "visual" / "old_model.onnx").exists()
    assert not (path / "visual" / "other.onnx.part").exists()


def test_the_endpoint_comes_from_hf_endpoint(
    repo: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve_hub(hub_server(repo)) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.endpoint + "/")
        download_pack(entry(), models_dir, timeout=10)
    assert PackStore(models_dir).names() == [NAME]


def test_endpoint_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    assert hub.endpoint_from(None) == "https://huggingface.co"
    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.example/")
    assert hub.endpoint_from(None) == "https://hf-mirror.example"
    assert hub.endpoint_from("http://10.0.0.2:8080/") == "http://10.0.0.2:8080"  # the setting


def test_a_truncated_transfer_resumes_with_a_range_request_across_the_redirect(
    repo: Path, models_dir: Path
) -> None:
    key = f"{REPO}/visual/model.onnx"
    with serve_hub(hub_server(repo, drop_after={key: 1000})) as server:
        path = download_pack(entry(), models_dir, endpoint=server.endpoint, timeout=10)
    cdn = [r for r in server.gets(key) if r.path.startswith("/lfs/")]
    assert [r.range for r in cdn] == [None, "bytes=1000-"]
    assert (path / "visual/model.onnx").read_bytes() == (repo / "visual/model.onnx").read_bytes()


@pytest.mark.parametrize(
    ("rel", "lie", "what"),
    [
        ("textual/model.onnx", "wrong_sha256", "sha256"),  # an LFS file
        ("config.json", "wrong_blob_id", "git blob id"),  # a file kept in git
    ],
)
def test_a_wrong_checksum_deletes_the_file_and_installs_nothing(
    repo: Path, models_dir: Path, rel: str, lie: str, what: str
) -> None:
    server = hub_server(repo, **{lie: {f"{REPO}/{rel}"}})
    with serve_hub(server), pytest.raises(ChecksumError) as caught:
        download_pack(entry(), models_dir, endpoint=server.endpoint, timeout=10)
    message = str(caught.value)
    assert f"{NAME}/{rel}" in message and what in message and "deleted" in message
    assert PackStore(models_dir).names() == []
    staged = models_dir / ".partial" / NAME / rel
    assert not staged.exists() and not staged.with_name(staged.name + ".part").exists()


def test_not_enough_disk_space_fails_before_any_file_is_fetched(
    repo: Path, models_dir: Path
) -> None:
    server = hub_server(repo)
    with serve_hub(server), pytest.raises(DiskFullError) as caught:
        download_pack(
            entry(), models_dir, endpoint=server.endpoint, timeout=10, free_space=lambda _: 50_000
        )
    error = caught.value
    assert error.kind == DISK_FULL
    total = sum((repo / rel).stat().st_size for rel in pack_files(repo))
    assert error.details["needed_bytes"] == total and error.details["free_bytes"] == 50_000
    assert "Not enough disk space to download test-pack" in str(error)
    assert not [r for r in server.log if "/resolve/" in r.path or r.path.startswith("/lfs/")]
    assert PackStore(models_dir).names() == []


def test_a_missing_repository_names_it_and_gives_the_manual_advice(
    repo: Path, models_dir: Path
) -> None:
    other = CatalogEntry(**{**entry().__dict__, "repo": "immich-app/no-such-pack"})
    server = hub_server(repo)
    with serve_hub(server), pytest.raises(DownloadError, match=r"no-such-pack.*HTTP 404") as caught:
        download_pack(other, models_dir, endpoint=server.endpoint, timeout=10)
    assert "desktop-album models import DIR" in str(caught.value)


def test_a_repository_that_is_no_pack_is_refused_before_fetching(
    repo: Path, models_dir: Path
) -> None:
    (repo / "textual" / "model.onnx").unlink()
    server = hub_server(repo)
    with serve_hub(server), pytest.raises(DownloadError, match=r"lacks textual/model\.onnx"):
        download_pack(entry(), models_dir, endpoint=server.endpoint, timeout=10)
    assert not [r for r in server.log if "/resolve/" in r.path]


def test_a_file_over_2_gb_streams_resumes_and_verifies(repo: Path, models_dir: Path) -> None:
    """A 2 GiB + 1 MiB external-data file, made on the fly by the server.

    The first try streams from byte 0 (a Content-Length over 2**31) and is cancelled after a
    few MB. The test then grows the partial file, sparsely, to 2 GiB of the zeros the server
    would have sent (as if an earlier try had got that far, without writing 2 GiB), and the
    second try fetches only the last MiB (a Range past 2**31) and checks the whole file's
    sha256.
    """
    big = 2**31 + 2**20
    tail = hashlib.sha256(b"tail").digest() * (2**20 // 32)
    key = f"{REPO}/{EXTERNAL}"
    (repo / EXTERNAL).unlink()
    server = hub_server(repo, virtual={key: VirtualFile(big, tail)})
    cancel = threading.Event()
    reports: list[DownloadProgress] = []

    def progress(report: DownloadProgress) -> None:
        reports.append(report)
        if report.file == EXTERNAL and report.bytes_done - reports[0].bytes_done > 4 << 20:
            cancel.set()

    part = models_dir / ".partial" / NAME / (EXTERNAL + ".part")
    with serve_hub(server):
        with pytest.raises(DownloadCancelled):
            download_pack(
                entry(), models_dir, endpoint=server.endpoint, progress=progress, cancel=cancel
            )
        assert reports[0].bytes_total is not None and reports[0].bytes_total > big
        assert 0 < part.stat().st_size < big
        with part.open("r+b") as handle:
            handle.truncate(2**31)  # sparse: no disk blocks for the new zeros

        reports.clear()
        path = download_pack(entry(), models_dir, endpoint=server.endpoint, progress=reports.append)

    assert [r.range for r in server.gets(key) if r.path.startswith("/lfs/")] == [
        None,
        f"bytes={2**31}-",
    ]
    installed = path / EXTERNAL
    assert installed.stat().st_size == big
    with installed.open("rb") as handle:
        handle.seek(big - len(tail))
        assert handle.read() == tail
    assert (
        reports[-1].bytes_done
        == reports[-1].bytes_total
        == sum((repo / rel).stat().st_size for rel in pack_files(repo)) + big
    )


def test_tree_parsing_reads_lfs_and_git_files() -> None:
    sha = hashlib.sha256(b"x").hexdigest()
    page = [
        {"type": "directory", "oid": "a" * 40, "size": 0, "path": "visual"},
        {"type": "file", "oid": git_blob_id(b"{}"), "size": 2, "path": "config.json"},
        {
            "type": "file",
            "oid": "b" * 40,
            "size": 3_000_000_000,
            "path": "visual/model.onnx",
            "lfs": {"oid": sha, "size": 3_000_000_000, "pointerSize": 135},
        },
    ]
    files = hub.parse_tree(json.loads(json.dumps(page)))
    assert files == [
        hub.HubFile("config.json", 2, None, git_blob_id(b"{}")),
        hub.HubFile("visual/model.onnx", 3_000_000_000, sha, None),
    ]
    with pytest.raises(ValueError, match="bad path"):
        hub.parse_tree([{"type": "file", "path": "../x", "size": 1, "oid": "c" * 40}])
    assert hub.next_page('<https://hf.co/api/x?cursor=abc>; rel="next"') == (
        "https://hf.co/api/x?cursor=abc"
    )
    assert hub.next_page(None) is None
    digest = hub.git_blob_sha1(2)
    digest.update(b"{}")
    assert digest.hexdigest() == git_blob_id(b"{}")


def test_the_hub_endpoint_setting_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    Settings(hub_endpoint="https://hf-mirror.example").save(path)
    assert Settings.load(path).hub_endpoint == "https://hf-mirror.example"
    path.write_text('{"hub_endpoint": "ftp://nowhere"}')
    assert Settings.load(path).hub_endpoint is None
