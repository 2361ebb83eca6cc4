"""Render the application icon from its SVG: PNGs at every size, a Windows .ico, a macOS .icns.

Run from the repository root after editing ``resources/icons/desktop-album.svg``::

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py

It uses QtSvg (part of PySide6-Essentials) for the PNGs and Pillow for the .ico and .icns, so it
runs the same on Linux, Windows and macOS. The outputs are committed; the build only reads them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SVG = ICONS / "desktop-album.svg"
SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def png_path(size: int, folder: Path = ICONS) -> Path:
    return folder / f"desktop-album-{size}.png"


def render_png(svg: Path, size: int, target: Path) -> None:
    """Draw ``svg`` into a transparent ``size`` x ``size`` PNG."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG for QtSvg")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target)):  # the format follows the .png suffix
        raise SystemExit(f"could not write {target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ICONS, help="folder to write (default: here)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    renders = {}
    for size in sorted(set(SIZES) | set(ICO_SIZES) | set(ICNS_SIZES)):
        target = png_path(size, out)
        render_png(SVG, size, target)
        renders[size] = Image.open(target).convert("RGBA")
        if size not in SIZES:  # only an ingredient of the .ico/.icns
            target.unlink()
    # Each size drawn from the vector, not scaled down from 256: small sizes stay crisp.
    largest = renders[max(ICO_SIZES)]
    largest.save(
        out / "desktop-album.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[renders[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    biggest = renders[max(ICNS_SIZES)]
    biggest.save(
        out / "desktop-album.icns",
        append_images=[renders[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)],
    )
    del app
    print(f"wrote {len(SIZES)} PNGs, desktop-album.ico and desktop-album.icns to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
