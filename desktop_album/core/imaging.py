"""Decode a photo once into everything the indexer needs: model input, thumbnail, metadata, hash.

The hot path is :func:`decode_photo`, called from a small pool of decoder threads. It reads the
file once, hashes those bytes, and decodes them with Pillow. JPEGs are decoded with DCT scaling
(``Image.draft``) to the smallest size that still covers both the model input and the thumbnail,
so a 12 MP photo is never fully decoded to make a 224 px crop; HEIF files may likewise use an
embedded thumbnail that is a scaled copy of the image (pillow-heif's ``draft``).

Every failure is an :class:`ImageDecodeError` whose ``reason`` is short enough to show a user.
Pillow's decompression-bomb limit (``Image.MAX_IMAGE_PIXELS``) is kept and enforced from the
header alone, before any pixel is decoded.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import io
import re
import struct
import threading
import warnings
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFile, UnidentifiedImageError, features

from desktop_album.core.errors import ImageDecodeError
from desktop_album.core.packs import PreprocessConfig
from desktop_album.core.phash import perceptual_hash

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "DecodedPhoto",
    "PhotoMeta",
    "decode_photo",
    "encode_thumbnail",
    "fit_thumbnail",
    "load_image",
    "make_thumbnail",
    "open_full_image",
    "register_formats",
    "render_thumbnail",
    "to_model_batch",
    "to_model_input",
]


def _quiet_pillow() -> None:
    """Keep two Pillow warnings about users' files off the terminal.

    Pillow warns (rather than raising) for images between 1x and 2x ``MAX_IMAGE_PIXELS``; we check
    the size ourselves and raise. It also warns about corrupt EXIF blocks, which only cost us the
    metadata. Decoding runs in threads, where ``warnings.catch_warnings`` is not safe, so these are
    process-wide filters for exactly those warnings. They are re-installed when missing (a
    ``catch_warnings`` block around our import, as pytest uses, would otherwise drop them).
    """
    if _BOMB_FILTER not in warnings.filters:
        warnings.filterwarnings(
            "ignore", message=r"(possibly )?corrupt exif", category=UserWarning, module=r"PIL\."
        )
        warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


_BOMB_FILTER = ("ignore", None, Image.DecompressionBombWarning, None, 0)
_quiet_pillow()


def _avif_readable() -> bool:
    try:
        return bool(features.check("avif"))
    except Exception:  # an unknown feature name on old Pillow, or a broken plugin
        return False


_HEIF_AVAILABLE = importlib.util.find_spec("pillow_heif") is not None

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".gif", ".bmp"}
    | ({".heic", ".heif"} if _HEIF_AVAILABLE else set())
    | ({".avif"} if _avif_readable() else set())
)

# Only these decoders are ever tried, whatever the file's name: a ".jpg" that is really an EPS
# must not reach Ghostscript. MPO is how Pillow opens JPEGs carrying a multi-picture index.
_WANTED_FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "HEIF", "TIFF", "GIF", "BMP", "AVIF")
_DRAFT_FORMATS = frozenset({"JPEG", "MPO", "HEIF"})

_register_lock = threading.Lock()
_formats: tuple[str, ...] | None = None

_ORIENTATION_TAG = 0x0112
_MAKE_TAG = 0x010F
_MODEL_TAG = 0x0110
_DATETIME_TAG = 0x0132
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL_TAG = 0x9003
_OFFSET_TIME_TAG = 0x9010
_OFFSET_TIME_ORIGINAL_TAG = 0x9011

_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_RESAMPLE: dict[str, Image.Resampling] = {
    "bicubic": Image.Resampling.BICUBIC,
    "bilinear": Image.Resampling.BILINEAR,
    "nearest": Image.Resampling.NEAREST,
    "lanczos": Image.Resampling.LANCZOS,
}

_THUMB_QUALITY = 85
_MAX_FILE_BYTES = 1 << 30  # read in full, on each decoder thread at once
_MAX_ASPECT = 16  # beyond this aspect ratio, "shortest" resizes only the centre crop
_WHITE = (255, 255, 255)


def register_formats() -> None:
    """Make every supported format openable (HEIF through pillow-heif). Idempotent, thread safe."""
    global _formats
    with _register_lock:
        if _formats is not None:
            return
        if _HEIF_AVAILABLE:
            try:
                import pillow_heif

                pillow_heif.register_heif_opener()
            except Exception:  # a broken native library: HEIF files then fail as unsupported
                pass
        Image.init()
        _quiet_pillow()
        _formats = tuple(name for name in _WANTED_FORMATS if name in Image.OPEN)


def _open_formats() -> tuple[str, ...]:
    if _formats is None:
        register_formats()
    assert _formats is not None
    return _formats


@dataclass(frozen=True)
class PhotoMeta:
    """What a photo says about itself.

    ``width`` and ``height`` are those of the photo as displayed (after EXIF orientation), at full
    resolution, even when the pixels were decoded at a reduced size.
    """

    width: int
    height: int
    taken_at: str | None = None
    camera: str | None = None


@dataclass(frozen=True)
class DecodedPhoto:
    """Everything the indexer keeps from one decode of one file."""

    pixels: np.ndarray[Any, np.dtype[np.float32]]
    thumbnail: bytes
    meta: PhotoMeta
    content_hash: str
    phash: int | None = None  # perceptual hash of the thumbnail image (core/phash.py)


# --------------------------------------------------------------------------------------------
# Reading and opening


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > _MAX_FILE_BYTES:  # within the pixel limit, no photo file is near this big
            raise ImageDecodeError(f"file too large: {size / 1e6:,.0f} MB")
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ImageDecodeError("file vanished") from exc
    except IsADirectoryError as exc:
        raise ImageDecodeError("is a folder, not a file") from exc
    except PermissionError as exc:
        raise ImageDecodeError("permission denied") from exc
    except OSError as exc:
        raise ImageDecodeError(f"could not read the file: {exc.strerror or exc}") from exc
    except MemoryError as exc:
        raise ImageDecodeError("not enough memory to read the file") from exc


_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


def _too_large(width: int, height: int | None, limit: int) -> ImageDecodeError:
    size = f"{width}×{height}" if height is not None else f"{width:,}"
    return ImageDecodeError(f"image too large: {size} pixels exceeds the limit of {limit:,}")


def _open(data: bytes) -> ImageFile.ImageFile:
    """Open from memory (header only) and enforce the pixel limit. Nothing is decoded yet."""
    if not data:
        raise ImageDecodeError("empty file")
    _quiet_pillow()
    try:
        image = Image.open(io.BytesIO(data), formats=_open_formats())
    except Image.DecompressionBombError as exc:
        # Over 2x the limit: Pillow refuses before we see the size; its message has the count.
        limit = Image.MAX_IMAGE_PIXELS or 0
        found = _BOMB_PIXELS.search(str(exc))
        raise _too_large(int(found.group(1)) if found else 0, None, limit) from exc
    except UnidentifiedImageError as exc:
        raise ImageDecodeError("not an image or unsupported format") from exc
    except MemoryError as exc:
        raise ImageDecodeError("not enough memory to decode the image") from exc
    except (OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error) as exc:
        raise ImageDecodeError("not an image or unsupported format") from exc
    width, height = image.size
    max_pixels = Image.MAX_IMAGE_PIXELS
    if max_pixels is not None and width * height > max_pixels:
        image.close()
        raise _too_large(width, height, max_pixels)
    if width <= 0 or height <= 0:
        image.close()
        raise ImageDecodeError("not an image or unsupported format")
    return image


def _load(image: ImageFile.ImageFile, file_size: int) -> None:
    """Decode the pixels; truncated files often open fine and fail only here."""
    if image.format in ("JPEG", "MPO"):
        # Hand libjpeg the whole file in one call rather than 64 KB at a time: the GIL is then
        # released once per photo, not once per block, so a busy Python thread (the GUI, the
        # indexer) does not make the decoders queue for it at every block.
        image.decodermaxblock = max(image.decodermaxblock, file_size)
    try:
        image.load()
    except MemoryError as exc:
        raise ImageDecodeError("not enough memory to decode the image") from exc
    except Image.DecompressionBombError as exc:  # a later frame or a resized draft
        raise ImageDecodeError(f"image too large: {exc}") from exc
    except (OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error) as exc:
        raise ImageDecodeError("truncated or corrupt image data") from exc


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # EXIF parsing is a minefield; a bad block must not lose the photo
        return 1
    return value if isinstance(value, int) and value in _TRANSPOSE else 1


def _draft(image: ImageFile.ImageFile, short_min: int, long_min: int) -> None:
    """Ask the decoder for the smallest scaled size with both minimums met (before load)."""
    if image.format not in _DRAFT_FORMATS:
        return
    width, height = image.size
    short_min, long_min = max(1, short_min), max(1, long_min, short_min)
    request = (long_min, short_min) if width >= height else (short_min, long_min)
    if request[0] >= width and request[1] >= height:
        return
    try:
        image.draft("RGB", request)
    except Exception:  # a plugin that cannot draft decodes at full size, which is still right
        return


# --------------------------------------------------------------------------------------------
# Colour modes


def _flatten_alpha(image: Image.Image) -> Image.Image:
    """Composite onto white: transparent areas of logos and screenshots are not black."""
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    alpha = rgba.getchannel("A")
    if alpha.getextrema() == (255, 255):
        return rgba.convert("RGB")
    background = Image.new("RGB", rgba.size, _WHITE)
    background.paste(rgba, mask=alpha)
    return background


def _wide_to_rgb(image: Image.Image) -> Image.Image:
    """16-bit, 32-bit integer and float greyscale, scaled (not clipped) to 8 bits."""
    array = np.asarray(image)
    if image.mode.startswith("I;16"):
        grey = (array.astype(np.uint16) >> 8).astype(np.uint8)
    elif image.mode == "I":
        high = int(array.max()) if array.size else 0
        clipped = np.clip(array, 0, 65535)
        grey = (clipped >> 8 if high > 255 else clipped).astype(np.uint8)
    else:  # "F": 0..1 or 0..255 floats
        values = np.nan_to_num(array.astype(np.float32), nan=0.0, posinf=255.0, neginf=0.0)
        if values.size and float(values.max()) <= 1.0:
            values = values * 255.0
        grey = np.clip(values + 0.5, 0, 255).astype(np.uint8)
    return Image.fromarray(grey, "L").convert("RGB")


def _to_rgb(image: Image.Image) -> Image.Image:
    mode = image.mode
    if mode == "RGB" and "transparency" not in image.info:
        return image
    try:
        if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
            return _flatten_alpha(image)
        if mode in ("P", "L", "1", "RGB") and image.info.get("transparency") is not None:
            return _flatten_alpha(image)
        if mode.startswith("I") or mode == "F":
            return _wide_to_rgb(image)
        return image.convert("RGB")
    except ValueError as exc:
        raise ImageDecodeError(f"unsupported colour mode {mode}") from exc


# --------------------------------------------------------------------------------------------
# Metadata


_DATE = re.compile(
    r"^\s*(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
)
_OFFSET = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")
_MAKER_SUFFIX = re.compile(
    r"[\s,]+(imaging\s+)?(corporation|corp\.?|company|co\.?,?\s*ltd\.?|ltd\.?|inc\.?|gmbh|ag)$",
    re.IGNORECASE,
)


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", " ").strip()
    return value or None


def _parse_datetime(value: object, offset: object) -> str | None:
    text = _text(value)
    match = _DATE.match(text) if text else None
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:  # "0000:00:00 00:00:00" and friends
        return None
    iso = moment.isoformat()
    offset_text = _text(offset)
    zone = _OFFSET.match(offset_text) if offset_text else None
    if zone is not None and int(zone.group(2)) <= 14 and int(zone.group(3)) < 60:
        iso += f"{zone.group(1)}{zone.group(2)}:{zone.group(3)}"
    return iso


def _camera(make_value: object, model_value: object) -> str | None:
    make, model = _text(make_value), _text(model_value)
    while make and (shorter := _MAKER_SUFFIX.sub("", make)) and shorter != make:
        make = shorter  # "NIKON CORPORATION" -> "NIKON", "RICOH IMAGING COMPANY, LTD." -> "RICOH"
    if not model:
        return make
    if not make:
        return model
    if model.lower().split()[0] in make.lower().split():
        return model  # "Canon" + "Canon EOS 5D", "EASTMAN KODAK" + "KODAK Z981"
    return f"{make} {model}"


def _exif_meta(image: Image.Image) -> tuple[str | None, str | None]:
    try:
        exif = image.getexif()
        sub = exif.get_ifd(_EXIF_IFD)
        if sub.get(_DATETIME_ORIGINAL_TAG):
            taken = _parse_datetime(sub[_DATETIME_ORIGINAL_TAG], sub.get(_OFFSET_TIME_ORIGINAL_TAG))
        elif exif.get(_DATETIME_ORIGINAL_TAG):
            taken = _parse_datetime(exif[_DATETIME_ORIGINAL_TAG], None)
        else:
            taken = None
        if taken is None:
            taken = _parse_datetime(exif.get(_DATETIME_TAG), sub.get(_OFFSET_TIME_TAG))
        return taken, _camera(exif.get(_MAKE_TAG), exif.get(_MODEL_TAG))
    except Exception:  # malformed EXIF loses the metadata, never the photo
        return None, None


# --------------------------------------------------------------------------------------------
# Decoding


def _decode(
    data: bytes, short_min: int, long_min: int
) -> tuple[Image.Image, int, int, ImageFile.ImageFile]:
    """Open, draft, load, orient and convert. Returns (rgb, full_w, full_h, opened image).

    ``full_w`` and ``full_h`` are the full-resolution size as displayed.
    """
    image = _open(data)
    width, height = image.size
    if short_min > 0 or long_min > 0:
        _draft(image, short_min, long_min)
    _load(image, len(data))
    orientation = _orientation(image)
    oriented: Image.Image = image
    if orientation != 1:
        oriented = image.transpose(_TRANSPOSE[orientation])
        if orientation >= 5:
            width, height = height, width
    return _to_rgb(oriented), width, height, image


@contextlib.contextmanager
def _decode_errors() -> Iterator[None]:
    """Map anything unexpected escaping a decode to an ImageDecodeError with a reason."""
    try:
        yield
    except ImageDecodeError:
        raise
    except MemoryError as exc:
        raise ImageDecodeError("not enough memory to decode the image") from exc
    except (OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error) as exc:
        raise ImageDecodeError("truncated or corrupt image data") from exc
    except Exception as exc:  # a decoder bug must not take down the indexing batch
        raise ImageDecodeError(f"could not decode the image ({type(exc).__name__})") from exc


def decode_photo(path: Path, preprocess: PreprocessConfig, thumb_size: int = 256) -> DecodedPhoto:
    """Read ``path`` once and return the model input, thumbnail, metadata and content hash.

    Thread safe; meant to run on a few decoder threads at once.

    Raises:
        ImageDecodeError: with a short, user-facing ``reason``.
    """
    data = _read_bytes(path)
    content_hash = hashlib.sha256(data).hexdigest()
    with _decode_errors():
        rgb, width, height, opened = _decode(data, preprocess.size, thumb_size)
        taken_at, camera = _exif_meta(opened)
        thumb = fit_thumbnail(rgb, thumb_size)
        return DecodedPhoto(
            pixels=to_model_input(rgb, preprocess),
            thumbnail=encode_thumbnail(thumb),
            meta=PhotoMeta(width=width, height=height, taken_at=taken_at, camera=camera),
            content_hash=content_hash,
            # Hashed from the thumbnail's pixels, so a backfill from the thumbnail cache gives
            # the same hash as indexing did (to within a bit or two of JPEG noise).
            phash=perceptual_hash(thumb),
        )


def load_image(source: Path | bytes, min_side: int | None = None) -> Image.Image:
    """Decode to an EXIF-oriented RGB image.

    Args:
        source: a file, or its bytes.
        min_side: JPEGs (and HEIFs with embedded previews) are decoded at a reduced size whose
            shorter side is still at least this; ``None`` decodes at full size.

    Raises:
        ImageDecodeError: with a short, user-facing ``reason``.
    """
    data = source if isinstance(source, bytes) else _read_bytes(Path(source))
    side = min_side or 0
    with _decode_errors():
        return _decode(data, side, side)[0]


def open_full_image(path: Path) -> Image.Image:
    """The photo at full resolution, oriented, RGB: for the viewer. Raises ImageDecodeError."""
    return load_image(path, None)


def render_thumbnail(path: Path, size: int) -> bytes:
    """A JPEG thumbnail for a file the indexer has not seen. Raises ImageDecodeError."""
    data = _read_bytes(path)
    with _decode_errors():
        return make_thumbnail(_decode(data, 1, size)[0], size)


# --------------------------------------------------------------------------------------------
# Model input and thumbnails


@functools.lru_cache(maxsize=16)
def _normaliser(
    mean: tuple[float, float, float], std: tuple[float, float, float]
) -> tuple[np.ndarray[Any, np.dtype[np.float32]], np.ndarray[Any, np.dtype[np.float32]]]:
    """Per-channel (scale, offset) so that x * scale + offset == (x / 255 - mean) / std."""
    mean_a = np.asarray(mean, dtype=np.float64)
    std_a = np.asarray(std, dtype=np.float64)
    scale = (1.0 / (255.0 * std_a)).astype(np.float32).reshape(3, 1, 1)
    offset = (-mean_a / std_a).astype(np.float32).reshape(3, 1, 1)
    scale.setflags(write=False)
    offset.setflags(write=False)
    return scale, offset


def _fit_model_size(image: Image.Image, cfg: PreprocessConfig) -> Image.Image:
    size = cfg.size
    resample = _RESAMPLE.get(cfg.interpolation, Image.Resampling.BICUBIC)
    width, height = image.size
    if cfg.resize_mode == "squash":
        return image if (width, height) == (size, size) else image.resize((size, size), resample)
    if cfg.resize_mode == "longest":
        ratio = max(width, height) / size
        new = (max(1, round(width / ratio)), max(1, round(height / ratio)))
        resized = image if new == (width, height) else image.resize(new, resample)
        if new == (size, size):
            return resized
        canvas = Image.new("RGB", (size, size), (0, 0, 0))
        canvas.paste(resized, ((size - new[0]) // 2, (size - new[1]) // 2))
        return canvas
    # "shortest", as transformers' CLIPImageProcessor: the shorter side becomes `size`, the longer
    # int(size * long / short); then a centre crop with the offsets rounded down.
    if width <= height:
        new = (size, int(size * height / width))
    else:
        new = (int(size * width / height), size)
    left, top = (new[0] - size) // 2, (new[1] - size) // 2
    if max(new) > _MAX_ASPECT * size:
        # A long strip (say 1 x 10000 px) would resize to gigabytes before the crop: resize only
        # the part the crop keeps. Equal to within rounding, so kept for the extreme cases only.
        sx, sy = width / new[0], height / new[1]
        box = (left * sx, top * sy, (left + size) * sx, (top + size) * sy)
        return image.resize((size, size), resample, box=box)
    resized = image if new == (width, height) else image.resize(new, resample)
    if (left, top) == (0, 0) and new == (size, size):
        return resized
    return resized.crop((left, top, left + size, top + size))


def to_model_input(
    image: Image.Image, cfg: PreprocessConfig
) -> np.ndarray[Any, np.dtype[np.float32]]:
    """The visual tower's input for one image: float32 (3, S, S), normalised as ``cfg`` says."""
    if image.mode != "RGB":
        image = _to_rgb(image)
    fitted = _fit_model_size(image, cfg)
    hwc = np.asarray(fitted, dtype=np.uint8)
    scale, offset = _normaliser(cfg.mean, cfg.std)
    out = np.empty((3, cfg.size, cfg.size), dtype=np.float32)
    np.multiply(hwc.transpose(2, 0, 1), scale, out=out)
    out += offset
    return out


def to_model_batch(
    images: Sequence[np.ndarray[Any, np.dtype[np.float32]]],
) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Stack model inputs into one contiguous float32 (N, 3, S, S) batch."""
    if not images:
        raise ValueError("to_model_batch needs at least one image")
    return np.ascontiguousarray(np.stack(images).astype(np.float32, copy=False))


def make_thumbnail(image: Image.Image, size: int) -> bytes:
    """A JPEG whose longer side is ``size`` (never upscaled), quality 85."""
    return encode_thumbnail(fit_thumbnail(image, size))


def fit_thumbnail(image: Image.Image, size: int) -> Image.Image:
    """``image`` in RGB with its longer side at most ``size`` (never upscaled)."""
    if size <= 0:
        raise ValueError("thumbnail size must be positive")
    if image.mode != "RGB":
        image = _to_rgb(image)
    width, height = image.size
    longest = max(width, height)
    if longest > size:
        if width >= height:
            target = (size, max(1, round(height * size / width)))
        else:
            target = (max(1, round(width * size / height)), size)
        image = image.resize(target, Image.Resampling.BICUBIC, reducing_gap=3.0)
    return image


def encode_thumbnail(image: Image.Image) -> bytes:
    """The JPEG bytes of a thumbnail image (quality 85)."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=_THUMB_QUALITY)
    return buffer.getvalue()
