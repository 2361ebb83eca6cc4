"""Linux without the X11 libraries Qt's xcb plugin needs: one message naming the command that
installs them, exit 2, instead of Qt's abort."""

from __future__ import annotations

import pytest

from desktop_album import xcb_check
from desktop_album.cli import main
from desktop_album.xcb_check import INSTALL_COMMAND, missing_xcb_packages, xcb_problem

X11 = {"DISPLAY": ":0"}


def without(*missing: str) -> xcb_check.Lookup:
    return lambda name, soname: name not in missing


def test_all_present_is_no_problem() -> None:
    assert xcb_problem(X11, "linux", without()) is None


def test_a_missing_library_names_the_install_command() -> None:
    message = xcb_problem(X11, "linux", without("xcb-cursor", "xcb-keysyms"))
    assert message is not None
    assert "libxcb-cursor0, libxcb-keysyms1" in message
    assert INSTALL_COMMAND in message
    assert INSTALL_COMMAND == "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"


@pytest.mark.parametrize(
    ("environ", "platform"),
    [
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux"),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland"}, "linux"),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux"),  # Qt may pick Wayland
        ({}, "linux"),  # no X display: Qt says so itself
        (X11, "darwin"),
        (X11, "win32"),
    ],
)
def test_only_checked_when_qt_will_use_xcb(environ: dict[str, str], platform: str) -> None:
    assert missing_xcb_packages(environ, platform, without("xcb-cursor")) == []


@pytest.mark.parametrize(
    "environ",
    [
        {"DISPLAY": ":0"},
        {"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"},
        {"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"},
    ],
)
def test_checked_when_qt_will_use_xcb(environ: dict[str, str]) -> None:
    assert missing_xcb_packages(environ, "linux", without("xcb-icccm")) == ["libxcb-icccm4"]


def test_the_real_lookup_answers_without_raising() -> None:
    assert isinstance(xcb_check.library_present("xcb-cursor", "libxcb-cursor.so.0"), bool)
    assert not xcb_check.library_present("no-such-lib-xyz", "libno-such-lib-xyz.so.0")


def test_opening_the_window_without_them_exits_2_with_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(xcb_check, "library_present", without("xcb-cursor"))
    assert main([]) == 2
    err = capsys.readouterr().err
    assert INSTALL_COMMAND in err
    assert "Traceback" not in err
