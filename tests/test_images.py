"""core.images.open_rgb: every row of RELIABILITY.md's Images table, with images made here."""
from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile

from core import images
from core.errors import UserError
from core.images import ImageRejected, fit_square, open_rgb, probe_size


def _save(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def _halves(w=80, h=40) -> Image.Image:
    """Left half red, right half blue: orientation is visible in the result."""
    arr = np.zeros((h, w, 3), np.uint8)
    arr[:, : w // 2] = (255, 0, 0)
    arr[:, w // 2:] = (0, 0, 255)
    return Image.fromarray(arr)


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR declaring a huge image, with a tiny IDAT: a decompression bomb's header."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _fits(side=16) -> bytes:
    cards = ["SIMPLE  =                    T", "BITPIX  =                    8", "NAXIS   =                    2",
             f"NAXIS1  = {side:>20}", f"NAXIS2  = {side:>20}", "END"]
    header = "".join(c.ljust(80) for c in cards).ljust(2880).encode("ascii")
    data = bytes(range(side * side)).ljust(2880, b"\0")
    return header + data


def _psd(side=16) -> bytes:
    # signature, version 1, 6 reserved, channels 3, height, width, depth 8, mode RGB (3), then empty sections
    head = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, side, side, 8, 3)
    sections = struct.pack(">I", 0) * 3 + struct.pack(">H", 0) + bytes(3 * side * side)
    return head + sections


# --- skipped inputs: each gives one sentence naming the file and a reason code -------------------------------

@pytest.mark.parametrize("data,code,fragment", [
    (b"", "empty", "empty"),
    (b"this is text, not a picture\n" * 10, "not_image", "not an image"),
    (None, "too_small", "too small"),
])
def test_unusable_files_are_rejected_with_a_reason(data, code, fragment):
    if data is None:
        data = _save(Image.new("RGB", (1, 1), "red"), "PNG")
    with pytest.raises(ImageRejected) as err:
        open_rgb(data, name="cat/x.jpg")
    msg = str(err.value)
    assert err.value.code == code and fragment in msg and msg.startswith("cat/x.jpg: ") and "\n" not in msg
    assert isinstance(err.value, UserError)


def test_zero_byte_file_on_disk(tmp_path):
    p = tmp_path / "zero.png"
    p.write_bytes(b"")
    with pytest.raises(ImageRejected, match="empty"):
        open_rgb(p)


def test_decompression_bomb_header_is_refused_before_decoding():
    data = _png_header_only(30_000, 30_000)
    assert len(data) < 200
    with pytest.raises(ImageRejected) as err:
        open_rgb(data, name="bomb.png")
    assert err.value.code == "too_large" and "bomb.png" in str(err.value)


def test_decompression_bomb_keeps_memory_bounded():
    # A fresh process: if the 900 MP picture were decoded its peak RSS would pass 900 MB.
    # VmHWM is this process's own peak (ru_maxrss would inherit the test runner's).
    code = ("import sys; sys.path.insert(0, '.')\n"
            "from tests.test_images import _png_header_only\n"
            "from core.images import open_rgb, ImageRejected\n"
            "try:\n    open_rgb(_png_header_only(30000, 30000))\nexcept ImageRejected:\n    pass\n"
            "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')) // 1024)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) < 300  # MB


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_images_are_refused_and_the_global_flag_stays_off(fmt):
    rng = np.random.default_rng(0)
    data = _save(Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)), fmt)
    with pytest.raises(ImageRejected) as err:
        open_rgb(data[: len(data) // 2], name="half." + fmt.lower())
    assert err.value.code in ("truncated", "unreadable") and "half." in str(err.value)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


@pytest.mark.parametrize("orientation,red_at", [(6, "top"), (8, "bottom"), (1, "left")])
def test_exif_orientation_is_applied(orientation, red_at):
    im = _halves()
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = open_rgb(_save(im, "JPEG", exif=exif, quality=95))
    arr = np.asarray(out).astype(int)
    if red_at == "left":
        assert out.size == (80, 40)
        region = arr[:, :20]
    else:
        assert out.size == (40, 80)  # stood up
        region = arr[:20] if red_at == "top" else arr[-20:]
    assert region[..., 0].mean() > 200 and region[..., 2].mean() < 60


def test_cmyk_becomes_the_right_colour():
    cmyk = Image.new("CMYK", (16, 16), (0, 255, 255, 0))  # pure red in CMYK
    for fmt in ("JPEG", "TIFF"):
        out = np.asarray(open_rgb(_save(cmyk, fmt))).astype(int)
        assert out[..., 0].mean() > 200 and out[..., 1].mean() < 60 and out[..., 2].mean() < 60, fmt


def test_16_bit_grayscale_is_scaled_not_white():
    ramp = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (16, 1))
    im = Image.fromarray(ramp)
    assert im.mode.startswith("I;16")
    out = np.asarray(open_rgb(_save(im, "PNG")))
    assert out.shape == (16, 64, 3)
    assert out[:, 0].max() < 10 and out[:, -1].min() > 245  # the full range, not clipped to white
    assert 100 < out[:, 32].mean() < 160
    flat = Image.fromarray(np.full((16, 16), 40000, np.uint16))
    mid = np.asarray(open_rgb(_save(flat, "PNG")))
    assert 140 < mid.mean() < 170  # 40000/65535 of white


def test_palette_with_transparency_la_and_rgba_composite_on_white():
    p = Image.new("P", (16, 16), 0)
    p.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    p.paste(1, (0, 0, 8, 16))
    out = np.asarray(open_rgb(_save(p, "PNG", transparency=0)))
    assert (out[:, 8:] == 255).all()              # transparent red -> the white background
    assert (out[:, :8] == (0, 0, 255)).all()      # opaque blue stays blue
    la = Image.new("LA", (16, 16), (0, 0))         # black but fully transparent
    assert (np.asarray(open_rgb(_save(la, "PNG"))) == 255).all()
    rgba = Image.new("RGBA", (16, 16), (0, 0, 0, 128))  # half-transparent black over white: mid grey
    assert 120 < np.asarray(open_rgb(_save(rgba, "PNG"))).mean() < 135
    grey = Image.new("L", (16, 16), 77)
    assert (np.asarray(open_rgb(_save(grey, "PNG"))) == 77).all()


@pytest.mark.parametrize("fmt", ["GIF", "TIFF"])
def test_animated_and_multipage_give_the_first_frame(fmt):
    frames = [Image.new("RGB", (16, 16), c) for c in ((255, 0, 0), (0, 0, 255), (0, 255, 0))]
    data = _save(frames[0], fmt, save_all=True, append_images=frames[1:])
    with Image.open(io.BytesIO(data)) as check:
        assert getattr(check, "n_frames", 1) == 3
    out = np.asarray(open_rgb(data)).astype(int)
    assert out[..., 0].mean() > 200 and out[..., 2].mean() < 60


@pytest.mark.parametrize("maker,fmt", [
    (lambda: _fits(), "FITS"),
    (lambda: _psd(), "PSD"),
    (lambda: _save(Image.new("RGB", (16, 16), "red"), "EPS"), "EPS"),
    (lambda: _save(Image.new("RGB", (16, 16), "red"), "PDF"), None),
])
def test_formats_outside_the_allow_list_are_refused(maker, fmt):
    with pytest.raises(ImageRejected) as err:
        open_rgb(maker(), name="disguised.jpg")
    msg = str(err.value)
    assert "disguised.jpg" in msg
    if fmt:  # Pillow recognises it: the message names the format
        assert err.value.code == "format" and fmt in msg
    else:    # Pillow cannot even identify a PDF
        assert err.value.code == "not_image"


def test_large_jpeg_is_reduced_while_decoding():
    rng = np.random.default_rng(1)
    small = rng.integers(0, 255, (300, 400, 3), dtype=np.uint8)
    big = Image.fromarray(small).resize((4000, 3000))  # 12 MP
    data = _save(big, "JPEG", quality=80)
    out = open_rgb(data, min_side=256)
    assert min(out.size) >= 256 and out.size[0] <= 4000 // 4  # draft mode: decoded at 1/8 scale, not full
    capped = open_rgb(data, max_side=300)
    assert max(capped.size) == 300


def _photo_jpeg(size=(1024, 768), **kw) -> bytes:
    """scikit-image's coffee photo at ``size`` as a JPEG (quality 90): real JPEG content, big enough for draft."""
    from skimage import data as sk
    return _save(Image.fromarray(sk.coffee()).resize(size, Image.Resampling.BILINEAR), "JPEG", quality=90, **kw)


def test_square_rgb_judges_limits_on_the_header_not_the_reduced_decode(monkeypatch):
    photo = _photo_jpeg()
    arr, header = images.square_rgb(photo, 256, name="p.jpg")
    assert arr.shape == (256, 256, 3) and header == (1024, 768)
    assert open_rgb(photo, min_side=256).size == (512, 384)  # decoded at half scale ...
    monkeypatch.setattr(images, "MAX_PIXELS", 1024 * 768 - 1)  # ... yet the limit sees 1024×768, not 512×384
    with pytest.raises(ImageRejected) as err:
        images.square_rgb(photo, 256, name="p.jpg")
    assert err.value.code == "too_large" and err.value.params["width"] == 1024 and "1024×768" in str(err.value)


@pytest.mark.parametrize("cut", [0.995, 0.9, 0.5, 0.01])
def test_reduced_decoding_rejects_the_same_broken_jpegs_as_a_full_decode(cut):
    photo = _photo_jpeg()
    broken = photo[: int(len(photo) * cut)]
    with pytest.raises(ImageRejected) as full:
        open_rgb(broken)
    with pytest.raises(ImageRejected) as reduced:
        images.square_rgb(broken, 256)
    assert (reduced.value.code, reduced.value.key) == (full.value.code, full.value.key)
    assert full.value.code == "truncated"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_fit_square_crops_the_centre_and_upscales_small_pictures():
    arr = np.zeros((40, 80, 3), np.uint8)
    arr[:, 20:60] = 255  # the centre square is white, the sides black
    out = fit_square(Image.fromarray(arr), 32)
    assert out.shape == (32, 32, 3) and out.dtype == np.uint8
    assert out[:, 2:-2].min() > 200
    tiny = fit_square(Image.new("RGB", (8, 8), (10, 20, 30)), 32)
    assert tiny.shape == (32, 32, 3) and (np.abs(tiny.astype(int) - (10, 20, 30)) <= 1).all()


def test_probe_size_reads_only_the_header():
    assert probe_size(_png_header_only(12_000, 8_000)) == (12_000, 8_000)
    with pytest.raises(ImageRejected, match="pixels"):  # over the limit: refused from the header
        open_rgb(_png_header_only(12_000, 8_000))
    assert probe_size(b"not an image") is None


def test_allow_list_and_limits_are_module_constants():
    assert "JPEG" in images.ALLOWED_FORMATS and "EPS" not in images.ALLOWED_FORMATS
    assert images.MAX_PIXELS < Image.MAX_IMAGE_PIXELS * 2  # our limit bites before Pillow's
