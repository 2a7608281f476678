"""Open one image file safely and turn it into a sane RGB picture.

Used by every path that reads a user's image (classify, dataset ingest, saliency). Never flips Pillow's
global flags (``LOAD_TRUNCATED_IMAGES``, ``MAX_IMAGE_PIXELS``): limits are checked here, per call.
"""
from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import BinaryIO, Union

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import UserError

# Formats a user may upload. EPS/PDF/PSD/FITS and friends go through external decoders or are rarely
# photos; they are refused rather than half-supported.
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "GIF", "BMP", "WEBP", "TIFF", "MPO"})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".jfif"})
MAX_PIXELS = 64_000_000     # 64 MP: bigger than any phone photo; a larger header is treated as a bomb
MIN_SIDE = 8                # smaller than this carries no usable picture (a 1x1 "image" is a tracking pixel)
BACKGROUND = (255, 255, 255)  # transparent pixels are composited on white

Source = Union[str, Path, bytes, BinaryIO]


class ImageRejected(UserError):
    """The file is not a usable image; the message is the reason and ``code`` its kind.

    Codes: ``empty``, ``missing``, ``format``, ``too_large``, ``too_small``, ``not_image``, ``truncated``,
    ``unreadable`` (``str(exc)`` is English, for logs and the CLI; pages show ``exc.text(lang)``).
    """

    def __init__(self, message: str, code: str = "unreadable"):
        super().__init__(message)
        self.code = code

    @classmethod
    def of(cls, key: str, /, code: str = "unreadable", **params) -> "ImageRejected":
        """``UserError.of`` with the rejection's kind."""
        exc = super().of(key, **params)
        exc.code = code
        return exc


def _to_rgb(im: Image.Image) -> Image.Image:
    mode = im.mode
    if mode == "RGB":
        return im
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(im, dtype=np.float64)
        finite = arr[np.isfinite(arr)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        if hi > 255 or lo < 0:  # high bit depth: stretch the real range to 8 bits instead of clipping to white
            if hi > lo:
                arr = (arr - lo) * (255.0 / (hi - lo))
            else:  # a flat 16-bit picture: keep its grey level on the 16-bit scale
                arr = np.full(arr.shape, np.clip(hi / 257.0, 0, 255))
        arr = np.nan_to_num(np.clip(arr, 0, 255)).astype(np.uint8)
        return Image.fromarray(arr, mode="L").convert("RGB")
    if mode == "P":
        im = im.convert("RGBA") if "transparency" in im.info else im.convert("RGB")
        mode = im.mode
    if mode in ("LA", "La", "PA", "RGBa"):
        im = im.convert("RGBA")
        mode = "RGBA"
    if mode == "RGBA":
        bg = Image.new("RGB", im.size, BACKGROUND)
        bg.paste(im, mask=im.getchannel("A"))
        return bg
    return im.convert("RGB")  # L, 1, CMYK, YCbCr, LAB, HSV


def open_rgb(source: Source, name: str | None = None, max_side: int | None = None,
             min_side: int | None = None) -> Image.Image:
    """Decode ``source`` to an upright RGB image.

    Args:
        source: a path, raw bytes or a binary file object.
        name: how to name the file in messages (defaults to the path).
        max_side: if given, the image is reduced while decoding (JPEG draft mode) and then resized so that
            its longer side is at most this; memory then follows the working size, not the original.
        min_side: if given (and ``max_side`` is not), a JPEG is decoded at the smallest reduced scale whose
            both sides stay at least this (for a later resize-and-crop to a square of this side).

    Raises:
        ImageRejected: with one sentence naming the file and the reason.
    """
    im, _header = _open_upright(source, name, max_side or min_side)
    if max_side and max(im.size) > max_side:
        im.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
    return im


def square_rgb(source: Source, side: int, name: str | None = None) -> tuple[np.ndarray, tuple[int, int]]:
    """A dataset cache's picture: ``open_rgb(source, min_side=side)`` made square by :func:`fit_square`.

    Returns:
        (uint8 [side, side, 3], the (width, height) the file's header declares, before any reduction).

    Raises:
        ImageRejected: as :func:`open_rgb` (limits are judged on the header's size, never the reduced one).
    """
    im, header = _open_upright(source, name, side)
    return fit_square(im, side), header


def _open_upright(source: Source, name: str | None, draft_side: int | None) -> tuple[Image.Image, tuple[int, int]]:
    """Checked, decoded (a JPEG at a reduced scale whose sides stay >= ``draft_side``), upright RGB; and the
    header's (width, height)."""
    label = name or (str(source) if isinstance(source, (str, Path)) else "image")
    if isinstance(source, bytes):
        if not source:
            raise ImageRejected.of("images.empty", code="empty", label=label)
        source = io.BytesIO(source)
    elif isinstance(source, (str, Path)):
        p = Path(source)
        if not p.is_file():
            raise ImageRejected.of("images.missing", code="missing", label=label)
        if p.stat().st_size == 0:
            raise ImageRejected.of("images.empty", code="empty", label=label)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(source)
            fmt = im.format or "unknown"
            if fmt not in ALLOWED_FORMATS:
                raise ImageRejected.of("images.format", code="format", label=label, format=fmt)
            w, h = im.size  # the header's size: every limit is judged on it, before any reduced decoding
            if w * h > MAX_PIXELS:
                raise ImageRejected.of("images.too_many_pixels", code="too_large", label=label, width=w, height=h,
                                       limit=MAX_PIXELS // 1_000_000)
            if min(w, h) < MIN_SIDE:
                raise ImageRejected.of("images.too_small", code="too_small", label=label, width=w, height=h)
            im.seek(0)  # first frame of animated GIFs and multi-page TIFFs
            if draft_side and fmt in ("JPEG", "MPO"):
                # libjpeg decodes at 1/2, 1/4 or 1/8 scale, the smallest whose both sides stay >= draft_side:
                # far less memory and time, and the later resize still only ever shrinks
                im.draft("RGB", (draft_side, draft_side))
            im.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected.of("images.bomb", code="too_large", label=label) from None
    except UnidentifiedImageError:
        raise ImageRejected.of("images.not_image", code="not_image", label=label) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        msg = str(exc).lower()
        if "truncated" in msg or "broken data stream" in msg or isinstance(exc, EOFError):
            raise ImageRejected.of("images.truncated", code="truncated", label=label) from None
        raise ImageRejected.of("images.unreadable", code="unreadable", label=label, reason=str(exc)) from None
    try:
        im = ImageOps.exif_transpose(im)  # phone photos lying on their side stand up
    except Exception:  # a broken EXIF block must not lose an otherwise good picture
        pass
    return _to_rgb(im), (w, h)


def is_image_name(path: str) -> bool:
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


def probe_size(source: Source) -> tuple[int, int] | None:
    """The (width, height) a file declares in its header, read without decoding the pixels; None if unknown."""
    try:
        if isinstance(source, bytes):
            source = io.BytesIO(source)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(source) as im:
                return im.size
    except Exception:  # noqa: BLE001 - a probe only guides the working size; decoding gives the real reason
        return None


def fit_square(im: Image.Image, side: int) -> np.ndarray:
    """Resize so the short side is ``side`` and centre-crop to ``side``×``side``; uint8 [side, side, 3]."""
    w, h = im.size
    method = Image.Resampling.BICUBIC if min(w, h) < side else Image.Resampling.BILINEAR
    out = ImageOps.fit(im, (side, side), method=method, centering=(0.5, 0.5))
    return np.asarray(out.convert("RGB"), dtype=np.uint8)
