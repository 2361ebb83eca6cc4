"""The details of one photo for the info panel: what the library knows, and its EXIF.

Reading EXIF is disk work (and a slow drive can stall): :func:`read_details` runs on a worker
and returns plain data; the window only shows it. Only the header is parsed, never the pixels.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from PIL import Image

from desktop_album.core.imaging import _camera, _exif_meta, _text, register_formats
from desktop_album.core.library import PhotoInfo

# States (the faces word them): read and searchable; waiting to be read; could not be read;
# on a drive that is not connected; the file vanished.
INDEXED = "indexed"
PENDING = "pending"
UNREADABLE = "unreadable"
OFFLINE = "offline"
MISSING = "missing"

DATE_EXIF = "exif"  # the date the camera wrote
DATE_FILE = "file"  # the file's modification time: the camera wrote none

_MAKE, _MODEL = 0x010F, 0x0110
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_EXPOSURE_TIME, _F_NUMBER, _ISO, _FOCAL_LENGTH = 0x829A, 0x829D, 0x8827, 0x920A
_LENS_MAKE, _LENS_MODEL = 0xA433, 0xA434
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4


@dataclass(frozen=True)
class PhotoDetails:
    """Everything the info panel shows about one photo; None where it is not known."""

    photo_id: int
    path: str
    state: str
    reason: str | None = None  # why it is unreadable
    taken_at: str | None = None  # ISO 8601
    date_source: str | None = None  # DATE_EXIF or DATE_FILE
    camera: str | None = None
    lens: str | None = None
    exposure_time: float | None = None  # seconds
    f_number: float | None = None
    iso: int | None = None
    focal_length: float | None = None  # mm
    latitude: float | None = None
    longitude: float | None = None
    width: int | None = None
    height: int | None = None
    file_size: int | None = None  # bytes

    @property
    def has_gps(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _state(info: PhotoInfo) -> str:
    if not info.online:
        return OFFLINE
    return {"ok": INDEXED, "error": UNREADABLE, "missing": MISSING}.get(info.status, PENDING)


def _number(value: Any) -> float | None:
    try:
        if isinstance(value, tuple) and len(value) == 2:  # (numerator, denominator)
            number = float(Fraction(int(value[0]), int(value[1])))
        else:
            number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return number if number == number else None  # NaN: a zero denominator in a rational


def _degrees(parts: Any, ref: Any) -> float | None:
    if not isinstance(parts, tuple) or len(parts) != 3:
        return None
    values = [_number(p) for p in parts]
    if any(v is None for v in values):
        return None
    degrees = values[0] + values[1] / 60 + values[2] / 3600  # type: ignore[operator]
    if (_text(ref) or "").upper() in ("S", "W"):
        degrees = -degrees
    return round(degrees, 6)


def _exif_details(image: Image.Image) -> dict[str, Any]:
    found: dict[str, Any] = {}
    try:
        exif = image.getexif()
        sub = exif.get_ifd(_EXIF_IFD)
        gps = exif.get_ifd(_GPS_IFD)
    except Exception:  # malformed EXIF: the details are lost, never the panel
        return found
    found["exposure_time"] = _number(sub.get(_EXPOSURE_TIME))
    found["f_number"] = _number(sub.get(_F_NUMBER))
    iso = sub.get(_ISO)
    if isinstance(iso, tuple) and iso:
        iso = iso[0]
    found["iso"] = int(iso) if isinstance(iso, int) and iso > 0 else None
    found["focal_length"] = _number(sub.get(_FOCAL_LENGTH))
    lens = _text(sub.get(_LENS_MODEL))
    found["lens"] = _camera(sub.get(_LENS_MAKE), lens) if lens else None
    latitude = _degrees(gps.get(_GPS_LAT), gps.get(_GPS_LAT_REF))
    longitude = _degrees(gps.get(_GPS_LON), gps.get(_GPS_LON_REF))
    if latitude is not None and longitude is not None:
        found["latitude"], found["longitude"] = latitude, longitude
    found["camera"] = _camera(exif.get(_MAKE), exif.get(_MODEL))
    return found


def read_details(info: PhotoInfo) -> PhotoDetails:
    """The details of a photo; reads the file's header when its drive is connected.

    Never raises for the file: an unreadable or vanished file gives what the library knows.
    """
    stored = PhotoDetails(
        photo_id=info.id,
        path=info.path,
        state=_state(info),
        reason=info.error if info.status == "error" else None,
        taken_at=info.taken_at,
        date_source=DATE_EXIF if info.taken_at else None,
        camera=info.camera,
        width=info.width,
        height=info.height,
        file_size=info.size,
    )
    if not info.online:
        return stored
    try:
        stat = os.stat(info.path)
    except OSError:
        return stored
    fields: dict[str, Any] = {"file_size": stat.st_size}
    register_formats()
    try:
        with Image.open(info.path) as image:
            taken, camera = _exif_meta(image)
            fields.update({k: v for k, v in _exif_details(image).items() if v is not None})
            if camera:
                fields["camera"] = camera
            if taken:
                fields["taken_at"], fields["date_source"] = taken, DATE_EXIF
            if not (info.width and info.height):
                fields["width"], fields["height"] = image.size
    except Exception:  # not a readable image: its state and reason already say so
        pass
    if "taken_at" not in fields and not info.taken_at:
        moment = dt.datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0)
        fields["taken_at"], fields["date_source"] = moment.isoformat(), DATE_FILE
    return replace(stored, **fields)
