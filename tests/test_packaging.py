"""Fast checks of what the packaged app is made of: desktop entry, icons, build.spec, pyproject.

The real PyInstaller build and its smoke test take minutes and run apart (packaging/build.sh,
docs/building.md); these only catch the mistakes that would break it or an install.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import desktop_album

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
DESKTOP_FILE = ROOT / "resources" / "desktop-album.desktop"
SPEC = ROOT / "build.spec"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)


@pytest.fixture(scope="module")
def support() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "spec_support", ROOT / "packaging" / "spec_support.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP_FILE.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


# -- desktop entry and icons ------------------------------------------------------------------


def test_desktop_entry_has_the_keys_a_launcher_needs() -> None:
    entry = read_desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Desktop Album"
    assert entry["GenericName"] == "Photo Manager"
    assert entry["Comment"]
    assert entry["Exec"] == "desktop-album %F"
    assert entry["Terminal"] == "false"
    assert entry["Categories"] == "Graphics;Photography;Viewer;"
    mime = [m for m in entry["MimeType"].split(";") if m]
    assert "image/jpeg" in mime and "image/png" in mime
    assert all(m.startswith("image/") for m in mime)
    for key in ("Name[ko]", "GenericName[ko]", "Comment[ko]"):
        assert any("\uac00" <= ch <= "\ud7a3" for ch in entry[key]), f"{key} is not Korean"


def test_desktop_entry_icon_exists_in_every_size() -> None:
    icon = read_desktop_entry()["Icon"]
    assert icon == "desktop-album"  # a theme name, installed as shown in resources/icons/README.md
    assert (ICONS / f"{icon}.svg").is_file()
    for size in PNG_SIZES:
        assert (ICONS / f"{icon}-{size}.png").is_file()


def test_svg_is_square_xml() -> None:
    root = ET.parse(ICONS / "desktop-album.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    assert width == height


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_renders_have_their_size(size: int) -> None:
    data = (ICONS / f"desktop-album-{size}.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (size, size)


def test_windows_and_macos_icons_exist() -> None:
    assert (ICONS / "desktop-album.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (ICONS / "desktop-album.icns").read_bytes()[:4] == b"icns"


# -- build.spec -------------------------------------------------------------------------------


def test_build_spec_is_python_with_two_executables_in_one_folder(support: ModuleType) -> None:
    text = SPEC.read_text(encoding="utf-8")
    compile(text, str(SPEC), "exec")
    assert "support.ENTRY_SCRIPT" in text
    assert "COLLECT(" in text and "BUNDLE(" in text
    assert "console=False" in text and "console=True" in text
    assert "support.read_version(ROOT)" in text
    assert (support.APP_NAME, support.CLI_NAME) == ("desktop-album", "desktop-album-cli")


def test_entry_script_runs_the_cli_main(support: ModuleType) -> None:
    tree = ast.parse((ROOT / support.ENTRY_SCRIPT).read_text(encoding="utf-8"))
    imports = [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]
    assert ("desktop_album.cli", "main") in imports
    from desktop_album.cli import main

    assert callable(main)


def test_spec_embeds_the_package_version(support: ModuleType) -> None:
    assert support.read_version(ROOT) == desktop_album.__version__


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2.0.1rc3", (2, 0, 1, 0)),
        ("3.1.4+g1", (3, 1, 4, 0)),
    ],
)
def test_windows_version_numbers(
    support: ModuleType, version: str, numbers: tuple[int, ...]
) -> None:
    assert support.version_tuple(version) == numbers


@pytest.mark.parametrize(
    ("name", "gpu"),
    [
        ("onnxruntime/capi/libonnxruntime_providers_cuda.so", True),
        ("onnxruntime/capi/libonnxruntime_providers_tensorrt.so", True),
        ("onnxruntime\\capi\\onnxruntime_providers_cuda.dll", True),
        ("onnxruntime/capi/libonnxruntime_providers_shared.so", False),
        ("onnxruntime/capi/onnxruntime_pybind11_state.so", False),
        ("PySide6/Qt/lib/libQt6Gui.so.6", False),
    ],
)
def test_cpu_only_filter_drops_only_gpu_providers(
    support: ModuleType, name: str, gpu: bool
) -> None:
    assert support.is_gpu_provider_library(name) is gpu


def test_cpu_only_switch(support: ModuleType) -> None:
    assert support.cpu_only({support.CPU_ONLY_ENV: "1"})
    assert not support.cpu_only({support.CPU_ONLY_ENV: "0"})
    assert not support.cpu_only({})


@pytest.mark.skipif(sys.platform != "win32", reason="PyInstaller's versioninfo needs pywin32")
def test_windows_version_resource_builds(support: ModuleType) -> None:
    pytest.importorskip("PyInstaller")  # the `build` extra
    info = str(support.windows_version_info("1.2.3", "desktop-album-cli"))
    assert "StringStruct('ProductVersion', '1.2.3')" in info
    assert "StringStruct('OriginalFilename', 'desktop-album-cli.exe')" in info


def test_spec_bundles_the_catalog_and_icons(support: ModuleType) -> None:
    bundled = {(Path(src).relative_to(ROOT).as_posix(), dest) for src, dest in support.data_files()}
    assert ("desktop_album/data/catalog.json", "desktop_album/data") in bundled
    assert ("resources/icons/desktop-album.svg", "resources/icons") in bundled
    assert ("resources/icons/desktop-album-256.png", "resources/icons") in bundled


# Developer tools inside the package that import repository-only modules, never run frozen.
DEV_ONLY = {"desktop_album/gui/screenshot.py"}


def test_the_app_never_imports_what_the_build_leaves_out(support: ModuleType) -> None:
    excluded = tuple(support.EXCLUDES)
    offenders = []
    for source in sorted((ROOT / "desktop_album").rglob("*.py")):
        if source.relative_to(ROOT).as_posix() in DEV_ONLY:
            continue
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            offenders += [
                f"{source.relative_to(ROOT)}:{node.lineno} imports {name}"
                for name in names
                if any(name == ex or name.startswith(ex + ".") for ex in excluded)
            ]
    assert offenders == [], "build.spec excludes these; the frozen app would fail to import them"


def test_packaging_folder_is_not_a_package() -> None:
    # A packaging/__init__.py would shadow PyPA's `packaging`, which pip and PyInstaller import.
    assert not (ROOT / "packaging" / "__init__.py").exists()


# -- pyproject: what `pip install .` / `pipx install .` reads ---------------------------------


def read_project() -> dict[str, Any]:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]
    return project


def test_dependencies_are_valid_pep508_and_pick_one_onnxruntime() -> None:
    from packaging.requirements import InvalidRequirement, Requirement

    project = read_project()
    requirements = []
    for line in project["dependencies"]:
        try:
            requirements.append(Requirement(line))
        except InvalidRequirement as exc:  # setuptools refuses to build: pip install . fails
            pytest.fail(f"not a PEP 508 requirement: {line!r}: {exc}")
    runtimes = [r for r in requirements if r.name.startswith("onnxruntime")]
    for platform in ("linux", "win32", "darwin"):
        for machine in ("x86_64", "AMD64", "arm64", "aarch64"):
            env = {"sys_platform": platform, "platform_machine": machine}
            chosen = [r.name for r in runtimes if r.marker is None or r.marker.evaluate(env)]
            assert len(chosen) == 1, f"{platform}/{machine} would install {chosen}"


def test_console_and_gui_scripts_point_at_functions() -> None:
    project = read_project()
    assert project["scripts"]["desktop-album"] == "desktop_album.cli:main"
    assert project["gui-scripts"]["desktop-album-gui"] == "desktop_album.app:main"


@pytest.mark.skipif(sys.platform != "linux", reason="checks the Linux desktop-file validator")
def test_desktop_entry_validates_where_the_validator_exists() -> None:
    import shutil
    import subprocess

    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (apt: desktop-file-utils)")
    result = subprocess.run(
        [validator, str(DESKTOP_FILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_build_script_installs_the_pinned_pyinstaller() -> None:
    build_extra = read_project()["optional-dependencies"]["build"]
    script = (ROOT / "packaging" / "build.sh").read_text(encoding="utf-8")
    pins = [line.split('"')[1] for line in script.splitlines() if "PYINSTALLER_PIN=" in line]
    assert pins == build_extra
