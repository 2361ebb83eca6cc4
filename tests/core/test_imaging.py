"""Decoding photos as users have them: every format, orientation, colour mode and broken file."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import threading
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, features

from desktop_album.core import imaging
from desktop_album.core.errors import ImageDecodeError
from desktop_album.core.imaging import (
    SUPPORTED_EXTENSIONS,
    DecodedPhoto,
    decode_photo,
    load_image,
    make_thumbnail,
    open_full_image,
    register_formats,
    render_thumbnail,
    to_model_batch,
    to_model_input,
)
from desktop_album.core.packs import PreprocessConfig

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
CFG = PreprocessConfig(224, CLIP_MEAN, CLIP_STD)
WHITE_INPUT = (1.0 - np.array(CLIP_MEAN)) / np.array(CLIP_STD)
BLACK_INPUT = -np.array(CLIP_MEAN) / np.array(CLIP_STD)
_WHITE = (255, 255, 255)
AVIF = bool(features.check("avif"))

register_formats()


def split_red_blue(width: int = 320, height: int = 200) -> Image.Image:
    """Left half red, right half blue, with a mild vertical gradient."""
    pixels = np.zeros((height, width, 3), dtype=np.uint8)
    shade = np.linspace(200, 255, height, dtype=np.float32)[:, None].astype(np.uint8)
    pixels[:, : width // 2, 0] = shade
    pixels[:, width // 2 :, 2] = shade
    return Image.fromarray(pixels, "RGB")


def photo_like(width: int, height: int, seed: int = 0) -> Image.Image:
    """Smooth gradients, a few blocks and mild noise: compresses and scales like a photo."""
    rng = np.random.default_rng(seed)
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    xs = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    pixels = np.empty((height, width, 3), dtype=np.float32)
    for c in range(3):
        pixels[..., c] = 128 + 90 * np.sin(3 * xs + 2 * c) * np.cos(2 * ys + c)
    for _ in range(12):
        x0, y0 = int(rng.integers(0, width - 40)), int(rng.integers(0, height - 40))
        pixels[y0 : y0 + height // 6, x0 : x0 + width // 6] = rng.uniform(0, 255, 3)
    pixels += rng.normal(0, 2.0, size=(height, width, 1))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def thumb_of(decoded: DecodedPhoto) -> Image.Image:
    image = Image.open(io.BytesIO(decoded.thumbnail))
    assert image.format == "JPEG"
    return image.convert("RGB")


def is_close(rgb: tuple[int, ...], expected: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(rgb[:3], expected, strict=True))


def exif_bytes(
    orientation: int | None = None,
    make: str | None = None,
    model: str | None = None,
    original: str | None = None,
    offset: str | None = None,
    plain: str | None = None,
) -> bytes:
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if make is not None:
        exif[0x010F] = make
    if model is not None:
        exif[0x0110] = model
    if plain is not None:
        exif[0x0132] = plain
    if original is not None or offset is not None:
        sub = exif.get_ifd(0x8769)
        if original is not None:
            sub[0x9003] = original
        if offset is not None:
            sub[0x9011] = offset
    return exif.tobytes()


# --------------------------------------------------------------------------------------------
# Formats


def test_supported_extensions_are_lower_case_with_a_dot() -> None:
    assert all(ext.startswith(".") and ext == ext.lower() for ext in SUPPORTED_EXTENSIONS)
    expected = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff"}
    assert expected | {".gif", ".bmp"} <= SUPPORTED_EXTENSIONS
    assert (".avif" in SUPPORTED_EXTENSIONS) == AVIF


def test_register_formats_is_idempotent() -> None:
    register_formats()
    register_formats()
    assert "HEIF" in Image.OPEN


FORMATS = [
    pytest.param(".jpg", "JPEG", {"quality": 92}, id="jpeg"),
    pytest.param(".png", "PNG", {}, id="png"),
    pytest.param(".webp", "WEBP", {"quality": 90}, id="webp"),
    pytest.param(".heic", "HEIF", {"quality": 90}, id="heic"),
    pytest.param(".tiff", "TIFF", {}, id="tiff"),
    pytest.param(".gif", "GIF", {}, id="gif"),
    pytest.param(".bmp", "BMP", {}, id="bmp"),
    pytest.param(
        ".avif",
        "AVIF",
        {"quality": 90},
        id="avif",
        marks=pytest.mark.skipif(not AVIF, reason="this Pillow cannot read AVIF"),
    ),
]


@pytest.mark.parametrize(("ext", "fmt", "options"), FORMATS)
def test_each_format_decodes(tmp_path: Path, ext: str, fmt: str, options: dict[str, int]) -> None:
    path = tmp_path / f"photo{ext}"
    split_red_blue().save(path, format=fmt, **options)

    decoded = decode_photo(path, CFG)

    assert decoded.pixels.shape == (3, 224, 224)
    assert decoded.pixels.dtype == np.float32
    assert (decoded.meta.width, decoded.meta.height) == (320, 200)
    assert decoded.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    thumb = thumb_of(decoded)
    assert thumb.size == (256, 160)
    assert is_close(thumb.getpixel((40, 80)), (230, 0, 0))
    assert is_close(thumb.getpixel((216, 80)), (0, 0, 230))


def test_gif_uses_the_first_frame(tmp_path: Path) -> None:
    path = tmp_path / "anim.gif"
    red, blue = Image.new("RGB", (120, 80), "red"), Image.new("RGB", (120, 80), "blue")
    red.save(path, save_all=True, append_images=[blue], duration=100, loop=0)

    thumb = thumb_of(decode_photo(path, CFG))

    assert is_close(thumb.getpixel((60, 40)), (255, 0, 0))


def test_content_not_extension_decides_the_format(tmp_path: Path) -> None:
    path = tmp_path / "really-a-png.jpg"
    split_red_blue().save(path, format="PNG")
    assert decode_photo(path, CFG).meta.width == 320


def test_unicode_and_spaces_in_paths(tmp_path: Path) -> None:
    folder = tmp_path / "사진 폴더"
    folder.mkdir()
    path = folder / "바다 사진.jpg"
    split_red_blue().save(path, quality=90)

    assert decode_photo(path, CFG).meta.height == 200
    assert render_thumbnail(path, 128)[:2] == b"\xff\xd8"
    assert open_full_image(path).size == (320, 200)


# --------------------------------------------------------------------------------------------
# Orientation


def marked_landscape(width: int = 300, height: int = 200) -> Image.Image:
    """White, with a black block in the top-left corner of the stored pixels."""
    image = Image.new("RGB", (width, height), "white")
    image.paste((0, 0, 0), (0, 0, width // 5, height // 5))
    return image


# Where the stored top-left corner is seen once the orientation is applied, as fractions.
CORNERS = {1: (0.1, 0.1), 3: (0.9, 0.9), 6: (0.9, 0.1), 8: (0.1, 0.9)}


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_exif_orientation_rotates(tmp_path: Path, orientation: int) -> None:
    path = tmp_path / f"o{orientation}.jpg"
    marked_landscape().save(path, quality=95, exif=exif_bytes(orientation=orientation))

    decoded = decode_photo(path, CFG)

    turned = orientation in (6, 8)
    assert (decoded.meta.width, decoded.meta.height) == ((200, 300) if turned else (300, 200))
    thumb = thumb_of(decoded)
    assert thumb.size == ((171, 256) if turned else (256, 171))
    for (fx, fy), colour in zip(
        [CORNERS[orientation], (1 - CORNERS[orientation][0], 1 - CORNERS[orientation][1])],
        [(0, 0, 0), (255, 255, 255)],
        strict=True,
    ):
        xy = (int(fx * (thumb.width - 1)), int(fy * (thumb.height - 1)))
        assert is_close(thumb.getpixel(xy), colour), (orientation, xy)


def test_heic_orientation_is_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "sideways.heic"
    marked_landscape().save(path, format="HEIF", quality=95, exif=exif_bytes(orientation=6))

    decoded = decode_photo(path, CFG)

    assert (decoded.meta.width, decoded.meta.height) == (200, 300)
    thumb = thumb_of(decoded)
    assert is_close(thumb.getpixel((int(0.9 * thumb.width), int(0.1 * thumb.height))), (0, 0, 0))
    assert is_close(thumb.getpixel((int(0.1 * thumb.width), int(0.9 * thumb.height))), _WHITE)


def test_heic_with_an_embedded_preview_decodes_from_it(tmp_path: Path) -> None:
    path = tmp_path / "iphone.heic"
    image = photo_like(800, 600)
    image.paste((0, 0, 0), (0, 0, 160, 120))
    image.save(path, format="HEIF", quality=50, exif=exif_bytes(orientation=6), thumbnails=[320])

    assert load_image(path, min_side=224).size == (240, 320)  # the preview, upright
    decoded = decode_photo(path, CFG)
    assert (decoded.meta.width, decoded.meta.height) == (600, 800)
    thumb = thumb_of(decoded)
    assert thumb.size == (192, 256)
    assert is_close(thumb.getpixel((180, 10)), (0, 0, 0))


@pytest.fixture(scope="module")
def big_jpegs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A 4000x3000 camera-sized JPEG, and the same stored sideways with orientation 6."""
    folder = tmp_path_factory.mktemp("big")
    image = photo_like(4000, 3000)
    image.paste((0, 0, 0), (0, 0, 800, 600))
    plain, sideways = folder / "big.jpg", folder / "big-o6.jpg"
    image.save(plain, quality=90)
    image.save(sideways, quality=90, exif=exif_bytes(orientation=6))
    return {"plain": plain, "sideways": sideways}


def test_large_jpeg_uses_draft_and_stays_close_to_full_decode(big_jpegs: dict[str, Path]) -> None:
    drafted = load_image(big_jpegs["plain"], min_side=224)
    full = load_image(big_jpegs["plain"])

    assert full.size == (4000, 3000)
    assert min(drafted.size) >= 224
    assert drafted.size[0] * drafted.size[1] <= 4000 * 3000 // 16
    a, b = to_model_input(drafted, CFG), to_model_input(full, CFG)
    span = float(b.max() - b.min())
    psnr = 10 * np.log10(span**2 / float(np.mean((a - b) ** 2)))
    assert psnr > 35


def test_large_jpeg_photo_keeps_its_full_size_in_meta(big_jpegs: dict[str, Path]) -> None:
    decoded = decode_photo(big_jpegs["sideways"], CFG, thumb_size=256)

    assert (decoded.meta.width, decoded.meta.height) == (3000, 4000)
    thumb = thumb_of(decoded)
    assert thumb.size == (192, 256)
    assert is_close(thumb.getpixel((180, 10)), (0, 0, 0))  # stored top-left is now top-right


def test_draft_keeps_the_longer_side_for_a_large_thumbnail(big_jpegs: dict[str, Path]) -> None:
    decoded = decode_photo(big_jpegs["plain"], CFG, thumb_size=1024)
    assert thumb_of(decoded).size == (1024, 768)
    assert Image.open(io.BytesIO(render_thumbnail(big_jpegs["plain"], 600))).size == (600, 450)


# --------------------------------------------------------------------------------------------
# Colour modes


def encoded(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def test_transparent_rgba_becomes_white() -> None:
    rgba = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    rgba.paste((255, 0, 0, 255), (0, 0, 32, 64))
    image = load_image(encoded(rgba))

    assert image.mode == "RGB"
    assert image.getpixel((48, 32)) == (255, 255, 255)
    assert image.getpixel((16, 32)) == (255, 0, 0)
    pixels = to_model_input(Image.new("RGBA", (50, 50), (0, 0, 0, 0)), CFG)
    np.testing.assert_allclose(pixels[:, 25, 25], WHITE_INPUT, atol=1e-5)


def test_palette_with_transparency_becomes_white() -> None:
    palette = Image.new("P", (40, 40), 0)
    palette.putpalette([0, 0, 0, 0, 200, 0] + [0] * 762)
    palette.paste(1, (0, 0, 20, 40))
    image = load_image(encoded(palette, transparency=0))

    assert image.getpixel((30, 20)) == (255, 255, 255)
    assert image.getpixel((10, 20)) == (0, 200, 0)


def test_grey_with_alpha_becomes_white_where_transparent() -> None:
    la = Image.new("LA", (40, 40), (100, 0))
    la.paste((100, 255), (0, 0, 20, 40))
    image = load_image(encoded(la))

    assert image.getpixel((30, 20)) == (255, 255, 255)
    assert image.getpixel((10, 20)) == (100, 100, 100)


@pytest.mark.parametrize("fmt", ["JPEG", "TIFF"])
def test_cmyk_becomes_rgb(fmt: str) -> None:
    cyan = Image.new("CMYK", (40, 40), (255, 0, 0, 0))
    image = load_image(encoded(cyan, fmt))
    assert image.mode == "RGB"
    assert is_close(image.getpixel((20, 20)), (0, 255, 255), tolerance=10)


@pytest.mark.parametrize(("dtype", "fmt"), [("<u2", "PNG"), ("<u2", "TIFF"), (">u2", "TIFF")])
def test_sixteen_bit_mid_grey_stays_mid_grey(dtype: str, fmt: str) -> None:
    grey = Image.fromarray(np.full((30, 30), 128 * 257, dtype=dtype))
    data = encoded(grey, fmt)
    assert Image.open(io.BytesIO(data)).mode.startswith("I")

    image = load_image(data)

    assert image.mode == "RGB"
    assert is_close(image.getpixel((15, 15)), (128, 128, 128), tolerance=1)


def test_float_and_bilevel_images_become_rgb() -> None:
    floats = Image.fromarray(np.full((20, 20), 0.5, dtype=np.float32))
    assert is_close(load_image(encoded(floats, "TIFF")).getpixel((5, 5)), (128, 128, 128), 1)
    bilevel = Image.new("1", (20, 20), 1)
    assert load_image(encoded(bilevel)).getpixel((5, 5)) == (255, 255, 255)
    rgb = Image.new("RGB", (20, 20), (10, 120, 240))
    from_ycbcr = to_model_input(rgb.convert("YCbCr"), CFG)
    np.testing.assert_allclose(from_ycbcr, to_model_input(rgb, CFG), atol=0.05)


# --------------------------------------------------------------------------------------------
# Model input and thumbnails


def test_model_input_normalises_per_channel() -> None:
    pixels = to_model_input(Image.new("RGB", (300, 250), (0, 0, 0)), CFG)
    np.testing.assert_allclose(pixels[:, 100, 100], BLACK_INPUT, atol=1e-5)
    pixels = to_model_input(Image.new("RGB", (300, 250), (255, 255, 255)), CFG)
    np.testing.assert_allclose(pixels[:, 100, 100], WHITE_INPUT, atol=1e-5)


def test_shortest_resize_crops_the_centre() -> None:
    image = Image.new("RGB", (600, 200), "white")
    image.paste((0, 0, 0), (0, 0, 150, 200))  # outside the centre crop
    pixels = to_model_input(image, PreprocessConfig(100, (0.0,) * 3, (1.0,) * 3))
    assert pixels.shape == (3, 100, 100)
    assert float(pixels.min()) > 0.99


def test_squash_and_longest_modes() -> None:
    image = Image.new("RGB", (400, 200), "white")
    squash = PreprocessConfig(64, CLIP_MEAN, CLIP_STD, "bilinear", "squash")
    np.testing.assert_allclose(to_model_input(image, squash)[:, 0, 0], WHITE_INPUT, atol=1e-5)

    longest = PreprocessConfig(64, CLIP_MEAN, CLIP_STD, "bicubic", "longest")
    pixels = to_model_input(image, longest)
    assert pixels.shape == (3, 64, 64)
    np.testing.assert_allclose(pixels[:, 2, 32], BLACK_INPUT, atol=1e-5)  # padding band
    np.testing.assert_allclose(pixels[:, 32, 32], WHITE_INPUT, atol=1e-5)
    np.testing.assert_allclose(pixels[:, 61, 32], BLACK_INPUT, atol=1e-5)


def test_a_long_strip_does_not_blow_up_the_resize() -> None:
    strip = Image.new("RGB", (3, 60000), "white")  # would be 224 x 4,480,000 before the crop
    pixels = to_model_input(strip, CFG)
    assert pixels.shape == (3, 224, 224)
    np.testing.assert_allclose(pixels[:, 112, 112], WHITE_INPUT, atol=1e-5)


def test_model_batch_is_contiguous_float32() -> None:
    inputs = [to_model_input(split_red_blue(), CFG) for _ in range(3)]
    batch = to_model_batch(inputs)
    assert batch.shape == (3, 3, 224, 224)
    assert batch.dtype == np.float32
    assert batch.flags["C_CONTIGUOUS"]
    with pytest.raises(ValueError):
        to_model_batch([])


def test_thumbnail_is_never_upscaled() -> None:
    thumb = Image.open(io.BytesIO(make_thumbnail(Image.new("RGB", (100, 50), "red"), 256)))
    assert thumb.size == (100, 50)
    thumb = Image.open(io.BytesIO(make_thumbnail(Image.new("RGB", (100, 500), "red"), 64)))
    assert thumb.size == (13, 64)


# --------------------------------------------------------------------------------------------
# Metadata


@pytest.mark.parametrize(
    ("fields", "taken_at", "camera"),
    [
        (
            {"original": "2021:06:01 12:34:56", "make": "Canon", "model": "Canon EOS 5D"},
            "2021-06-01T12:34:56",
            "Canon EOS 5D",
        ),
        (
            {
                "original": "2023:01:02 03:04:05",
                "offset": "+09:00",
                "make": "Apple",
                "model": "iPhone 12",
            },
            "2023-01-02T03:04:05+09:00",
            "Apple iPhone 12",
        ),
        (
            {"plain": "2019:12:31 23:59:00", "make": "NIKON CORPORATION", "model": "NIKON D750"},
            "2019-12-31T23:59:00",
            "NIKON D750",
        ),
        ({"original": "0000:00:00 00:00:00", "model": "EX-Z750"}, None, "EX-Z750"),
        ({"original": "    :  :     :  :  "}, None, None),
        ({}, None, None),
    ],
)
def test_taken_at_and_camera_from_exif(
    tmp_path: Path, fields: dict[str, str], taken_at: str | None, camera: str | None
) -> None:
    path = tmp_path / "meta.jpg"
    Image.new("RGB", (64, 48), "grey").save(path, exif=exif_bytes(**fields))

    meta = decode_photo(path, CFG).meta

    assert (meta.taken_at, meta.camera) == (taken_at, camera)


def test_garbled_exif_keeps_the_photo(tmp_path: Path) -> None:
    path = tmp_path / "garbled.jpg"
    Image.new("RGB", (64, 48), "grey").save(path, exif=b"Exif\x00\x00MM\x00*\x00\x00\xff\xff")
    meta = decode_photo(path, CFG).meta
    assert (meta.width, meta.height, meta.taken_at, meta.camera) == (64, 48, None, None)


# --------------------------------------------------------------------------------------------
# Files that are not photos


def reason_for(path: Path) -> str:
    with pytest.raises(ImageDecodeError) as caught:
        decode_photo(path, CFG)
    return caught.value.reason


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    assert reason_for(path) == "empty file"


def test_truncated_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "half.jpg"
    data = encoded(photo_like(640, 480), "JPEG", quality=90)
    path.write_bytes(data[: len(data) // 2])
    assert reason_for(path) == "truncated or corrupt image data"
    with pytest.raises(ImageDecodeError, match="truncated"):
        render_thumbnail(path, 128)


def test_corrupt_png(tmp_path: Path) -> None:
    path = tmp_path / "bad.png"
    data = bytearray(encoded(photo_like(100, 80)))
    data[60:200] = bytes(140)  # inside the compressed pixel data
    path.write_bytes(bytes(data))
    assert reason_for(path) == "truncated or corrupt image data"


@pytest.mark.parametrize(
    "content",
    [b"just some notes, not a photo\n" * 10, b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 9 9\n"],
    ids=["text", "postscript"],
)
def test_not_an_image(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.jpg"
    path.write_bytes(content)
    assert reason_for(path) == "not an image or unsupported format"


def png_declaring(width: int, height: int) -> bytes:
    """A valid PNG header for a huge bilevel image, with only a few bytes of pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(("width", "height"), [(30000, 30000), (10000, 10000)])
def test_decompression_bomb_is_refused_quietly(tmp_path: Path, width: int, height: int) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_declaring(width, height))
    limit = Image.MAX_IMAGE_PIXELS
    assert limit is not None and limit < width * height

    with warnings.catch_warnings(record=True) as caught:
        reason = reason_for(path)

    assert reason.startswith("image too large: ")
    assert f"exceeds the limit of {limit:,}" in reason
    if width * height <= 2 * limit:  # Pillow only warns here: we must refuse ourselves
        assert f"{width}×{height} pixels" in reason
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]


def test_file_vanished(tmp_path: Path) -> None:
    assert reason_for(tmp_path / "gone.jpg") == "file vanished"
    with pytest.raises(ImageDecodeError, match="file vanished"):
        render_thumbnail(tmp_path / "gone.jpg", 128)
    with pytest.raises(ImageDecodeError, match="file vanished"):
        open_full_image(tmp_path / "gone.jpg")


def test_huge_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "scan.tif"
    path.write_bytes(bytes(3_000_000))
    monkeypatch.setattr(imaging, "_MAX_FILE_BYTES", 2_000_000)
    assert reason_for(path) == "file too large: 3 MB"


def test_folder_named_like_a_photo(tmp_path: Path) -> None:
    (tmp_path / "album.jpg").mkdir()
    assert reason_for(tmp_path / "album.jpg") == "is a folder, not a file"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root reads files whatever their permissions",
)
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "private.jpg"
    split_red_blue().save(path)
    path.chmod(0)
    try:
        assert reason_for(path) == "permission denied"
    finally:
        path.chmod(0o644)


def test_permission_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    path = tmp_path / "private.jpg"
    split_red_blue().save(path)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert reason_for(path) == "permission denied"


def test_unexpected_errors_become_decode_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ok.jpg"
    split_red_blue().save(path)

    def broken(image: Image.Image) -> Image.Image:
        raise RuntimeError("decoder bug")

    monkeypatch.setattr(imaging, "_to_rgb", broken)
    assert reason_for(path) == "could not decode the image (RuntimeError)"


# --------------------------------------------------------------------------------------------
# Threads


def test_two_threads_decode_the_same_as_one(tmp_path: Path) -> None:
    paths = []
    for i in range(6):
        paths.append(tmp_path / f"p{i}.jpg")
        photo_like(800, 600, seed=i).save(paths[-1], quality=90)
    expected = [decode_photo(p, CFG) for p in paths]
    results: dict[int, DecodedPhoto] = {}
    barrier = threading.Barrier(2)

    def work(indices: range) -> None:
        barrier.wait()
        for i in indices:
            results[i] = decode_photo(paths[i], CFG)

    threads = [threading.Thread(target=work, args=(range(k, 6, 2),)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for i, want in enumerate(expected):
        assert np.array_equal(results[i].pixels, want.pixels)
        assert results[i].thumbnail == want.thumbnail
        assert results[i].content_hash == want.content_hash
