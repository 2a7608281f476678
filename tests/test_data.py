"""core.data: every Archives row of RELIABILITY.md (I1 one sentence, I2 nothing outside the data dir,
I3 earlier datasets intact), the Images rows at the dataset level, the report, splits, storage, demo sets,
the CLI and the page. All archives and images are made inside the tests."""
from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import threading
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core import data
from core.data import DatasetRejected, delete_dataset, list_datasets, open_dataset, zipsafe
from core.errors import UserError
from core.notices import Notice
from tests.conftest import ROOT, run_cli

# --- fixtures made here --------------------------------------------------------------------------------------


def img_bytes(seed: int, fmt: str = "PNG", size=(24, 20), color=None) -> bytes:
    """A small picture whose content depends on ``seed`` (distinct seeds: distinct hashes)."""
    if color is not None:
        arr = np.zeros((size[1], size[0], 3), np.uint8) + np.asarray(color, np.uint8)
    else:
        arr = np.random.default_rng(seed).integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, fmt)
    return buf.getvalue()


def good_entries(classes=("cat", "dog"), n=3, prefix="", start=0) -> dict[str, bytes]:
    return {f"{prefix}{c}/{i}.png": img_bytes(start + 100 * k + i) for k, c in enumerate(classes) for i in range(n)}


def make_zip(path: Path, entries: dict, compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, payload in entries.items():
            if isinstance(payload, zipfile.ZipInfo):
                raise TypeError
            if name.endswith("/") and payload is None:
                zf.writestr(zipfile.ZipInfo(name), b"")
            else:
                zf.writestr(zipfile.ZipInfo(name) if not isinstance(name, zipfile.ZipInfo) else name, payload)
    return path


def patch(path: Path, old: bytes, new: bytes, count: int = -1) -> None:
    """Rewrite bytes in a zip (names in local and central headers) keeping lengths."""
    assert len(old) == len(new)
    raw = path.read_bytes()
    assert old in raw
    path.write_bytes(raw.replace(old, new, count) if count > 0 else raw.replace(old, new))


def listing(root: Path, exclude: Path | None = None) -> set[str]:
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        if exclude is not None and Path(dirpath).resolve().is_relative_to(exclude.resolve()):
            continue
        for n in dirnames + filenames:
            out.add(os.path.relpath(os.path.join(dirpath, n), root))
    return out


@pytest.fixture
def env(tmp_path, data_dir):
    """A data dir holding one good dataset, and a way to check I1-I3 after a bad input."""
    good = open_dataset("demo:faces")
    good_hash = hashlib.sha256((good.dir / "images.npy").read_bytes()).hexdigest()
    before = listing(tmp_path, exclude=data_dir)
    work = tmp_path / "work"
    work.mkdir()

    class Env:
        dir = work

        def zip(self, name, entries, **kw):
            return make_zip(work / name, entries, **kw)

        def rejected(self, ref, *fragments):
            with pytest.raises(UserError) as err:
                open_dataset(str(ref))
            msg = str(err.value)
            # I1: one sentence, no traceback, names what is wrong
            assert "\n" not in msg and msg.endswith(".") and "Traceback" not in msg, msg
            for f in fragments:
                assert f.lower() in msg.lower(), (f, msg)
            self.intact()
            return msg

        def intact(self):
            # I2: nothing new outside the data dir (the work folder holds only what the test put there)
            now = listing(tmp_path, exclude=data_dir)
            assert {p for p in now - before if not p.startswith("work")} == set()
            assert not (tmp_path / "x").exists() and not Path("/etc/x.png").exists()
            # partial output removed: only the good dataset (and lock files) remain
            root = data_dir / "datasets"
            left = {p.name for p in root.iterdir()} - {".locks"}
            assert left == {good.id}, left
            assert not (data_dir / "uploads").exists() or not any((data_dir / "uploads").iterdir())
            # I3: the earlier dataset is intact
            again = open_dataset(good.id)
            assert hashlib.sha256((again.dir / "images.npy").read_bytes()).hexdigest() == good_hash

    return Env()


# --- Archives: names that escape, links, bombs -------------------------------------------------------------

@pytest.mark.parametrize("bad", ["../../x.png", "/etc/x.png", "C:\\x.png", "..\\x.png", "cat/../../x.png"])
def test_path_traversal_and_absolute_names_reject_the_archive(env, bad):
    entries = good_entries()
    entries[bad] = img_bytes(7)
    z = env.zip("evil.zip", entries)
    msg = env.rejected(z, bad, "refused")
    assert "outside" in msg or "absolute" in msg


def test_nul_in_a_name_rejects_the_archive(env):
    entries = good_entries()
    entries["cat/aQb.png"] = img_bytes(9)
    z = env.zip("nul.zip", entries)
    patch(z, b"cat/aQb.png", b"cat/a\x00b.png")
    with zipfile.ZipFile(z) as zf:  # Python itself truncates the name at the NUL: the check must see the original
        assert "cat/a" in zf.namelist()
    env.rejected(z, "NUL")


def test_symlink_entry_and_a_file_through_it_are_refused(env):
    entries = good_entries()
    z = env.work_zip = make_zip(env.dir / "link.zip", entries)
    with zipfile.ZipFile(z, "a") as zf:
        link = zipfile.ZipInfo("cat/link")
        link.create_system = 3
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "../../../../etc")
        zf.writestr("cat/link/passwd.png", img_bytes(5))
    env.rejected(z, "cat/link", "symbolic link")


def test_high_ratio_bomb_is_stopped_while_streaming(env):
    z = env.dir / "bomb.zip"
    make_zip(z, good_entries())
    with zipfile.ZipFile(z, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("cat/bomb.bmp", "w") as fh:  # 96 MB of zeros in about 100 kB
            block = bytes(8 * 1024 * 1024)
            for _ in range(12):
                fh.write(block)
    assert z.stat().st_size < 400_000
    env.rejected(z, "cat/bomb.bmp", "zip bomb")


def test_total_uncompressed_cap(env, monkeypatch):
    monkeypatch.setattr(zipsafe, "MAX_TOTAL_BYTES", 10_000)
    z = env.zip("big.zip", good_entries(n=4), compression=zipfile.ZIP_STORED)
    env.rejected(z, "big.zip", "MB")


def test_header_sizes_that_lie_are_caught(env):
    rng = np.random.default_rng(3)
    payload = rng.integers(0, 255, 200_000, dtype=np.uint8).tobytes()  # incompressible
    entries = good_entries()
    entries["cat/liar.png"] = payload
    z = env.zip("liar.zip", entries)
    # claim an uncompressed size of 1,000 bytes in both headers
    raw = bytearray(z.read_bytes())
    real = len(payload).to_bytes(4, "little")
    fake = (1000).to_bytes(4, "little")
    name = b"cat/liar.png"
    for sig, size_off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := raw.find(sig, pos)) >= 0:
            name_off = 30 if sig == b"PK\x03\x04" else 46
            if raw[pos + name_off: pos + name_off + len(name)] == name:
                assert raw[pos + size_off: pos + size_off + 4] == real
                raw[pos + size_off: pos + size_off + 4] = fake
            pos += 4
    z.write_bytes(bytes(raw))
    with zipfile.ZipFile(z) as zf:
        assert zf.getinfo("cat/liar.png").file_size == 1000
    env.rejected(z, "cat/liar.png", "damaged")


def test_streaming_counter_counts_real_bytes_not_headers(monkeypatch):
    monkeypatch.setattr(zipsafe, "MAX_TOTAL_BYTES", 3 * 1024 * 1024)
    budget = data.Budget("x.zip")
    # a stream that claims (via compressed=1 MB) to be small but yields 4 MB
    with pytest.raises(DatasetRejected, match="expands to more than"):
        data.read_capped(io.BytesIO(bytes(4 * 1024 * 1024)), "cat/a.png", 4 * 1024 * 1024, budget)
    assert budget.total <= 4 * 1024 * 1024


def test_tens_of_thousands_of_entries_are_refused_before_reading(env):
    z = env.dir / "many.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_STORED) as zf:
        for i in range(data.MAX_ENTRIES + 1):
            zf.writestr(f"cat/{i}.png", b"")
    env.rejected(z, "entries", f"{data.MAX_ENTRIES:,}")


def test_deep_nesting_is_refused(env):
    entries = good_entries()
    entries["cat/" + "/".join(["d"] * 30) + "/a.png"] = img_bytes(3)
    env.rejected(env.zip("deep.zip", entries), "deep")


def test_a_zip_inside_the_zip_is_not_expanded(env):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        for name, b in good_entries(("bird", "fish"), prefix="", start=50).items():
            zf.writestr(name, b)
    entries = good_entries()
    entries["cat/inner.zip"] = inner.getvalue()
    ds = open_dataset(str(env.zip("nested.zip", entries)))
    assert ds.classes == ["cat", "dog"] and len(ds) == 6
    assert {"path": "cat/inner.zip", "code": "archive"}.items() <= next(
        s for s in ds.report["skipped"] if s["path"] == "cat/inner.zip").items()


# --- Archives: broken containers, each with its own message ---------------------------------------------------

def test_not_a_zip(env):
    p = env.dir / "photos.zip"
    p.write_text("hello, I am a text file\n")
    env.rejected(p, "photos.zip", "not a zip")


def test_zero_byte_upload(env):
    p = env.dir / "zero.zip"
    p.write_bytes(b"")
    env.rejected(p, "zero.zip", "empty")


def test_empty_zip(env):
    p = env.dir / "empty.zip"
    zipfile.ZipFile(p, "w").close()
    env.rejected(p, "empty.zip", "empty zip")


def test_truncated_zip(env):
    z = env.zip("cut.zip", good_entries())
    z.write_bytes(z.read_bytes()[: z.stat().st_size // 2])
    env.rejected(z, "cut.zip", "truncated")


def test_encrypted_entry(env):
    z = env.zip("locked.zip", good_entries())
    raw = bytearray(z.read_bytes())
    for sig, flag_off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = raw.find(sig)
        raw[pos + flag_off] |= 0x1
    z.write_bytes(bytes(raw))
    env.rejected(z, "encrypted", "password")


def test_overlapping_entries(env):
    z = env.zip("overlap.zip", good_entries())
    raw = bytearray(z.read_bytes())
    central = [i for i in range(len(raw)) if raw[i:i + 4] == b"PK\x01\x02"]
    # point the second entry's local-header offset at the first entry's data
    raw[central[1] + 42: central[1] + 46] = (0).to_bytes(4, "little")
    z.write_bytes(bytes(raw))
    env.rejected(z, "overlap")


def test_duplicate_names_are_refused(env):
    z = env.dir / "twice.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for name, b in good_entries().items():
            zf.writestr(name, b)
        with pytest.warns(UserWarning):
            zf.writestr("cat/0.png", img_bytes(77))
    env.rejected(z, "cat/0.png", "twice")


# --- Archives: clutter, layout ------------------------------------------------------------------------------

def test_mac_and_windows_clutter_and_hidden_folders_are_skipped_never_classes(env):
    entries = good_entries()
    entries.update({"__MACOSX/cat/._0.png": b"\0\5\26\7junk", "cat/._1.png": b"\0\5\26\7junk",
                    ".DS_Store": b"\0\0\0\1Bud1", "dog/Thumbs.db": b"\xd0\xcf\x11\xe0", ".git/config": b"[core]",
                    ".hidden/a.png": img_bytes(4), "dog/.secret.png": img_bytes(8), "notes/readme.txt": b"hi",
                    "dog/desktop.ini": b"[.ShellClassInfo]"})
    ds = open_dataset(str(env.zip("clutter.zip", entries)))
    assert ds.classes == ["cat", "dog"] and len(ds) == 6
    codes = {s["path"]: s["code"] for s in ds.report["skipped"]}
    assert codes == {"__MACOSX/cat/._0.png": "macos", "cat/._1.png": "macos", ".DS_Store": "system",
                     "dog/Thumbs.db": "system", ".git/config": "hidden", ".hidden/a.png": "hidden",
                     "dog/.secret.png": "hidden", "notes/readme.txt": "not_image", "dog/desktop.ini": "system"}
    assert all(data.skipped_text(s) for s in ds.report["skipped"])
    assert data.skipped_text(next(s for s in ds.report["skipped"] if s["path"] == "dog/Thumbs.db"), "pt") == (
        "arquivo de cache de miniaturas do Windows, não é uma imagem")


def test_images_at_the_root_only(env):
    env.rejected(env.zip("flat.zip", {f"{i}.png": img_bytes(i) for i in range(4)}), "top level", "folder")


def test_root_images_next_to_class_folders_are_skipped(env):
    entries = good_entries()
    entries["stray.png"] = img_bytes(66)
    ds = open_dataset(str(env.zip("stray.zip", entries)))
    stray = [s for s in ds.report["skipped"] if s["path"] == "stray.png"]
    assert [(s["code"], data.skipped_text(s)) for s in stray] == [("root", "not inside a class folder")]


def test_one_class_only(env):
    env.rejected(env.zip("one.zip", good_entries(("cat",))), "only 1 class", "cat")


def test_an_empty_class_folder(env):
    entries = good_entries()
    entries["bird/"] = None
    env.rejected(env.zip("emptyclass.zip", entries), "bird", "0 usable")


def test_one_image_per_class(env):
    env.rejected(env.zip("single.zip", good_entries(n=1)), "1 usable", "at least 2")


def test_a_class_whose_images_are_all_broken(env):
    entries = good_entries()
    entries.update({"bird/a.png": b"", "bird/b.jpg": b"not really"})
    env.rejected(env.zip("broken.zip", entries), "bird", "0 usable")


def test_a_wrapper_folder_is_unwrapped_and_splits_are_never_empty(env):
    ds = open_dataset(str(env.zip("wrapped.zip", good_entries(n=2, prefix="my photos/") | {"my photos/": None})))
    assert ds.classes == ["cat", "dog"]
    assert ds.files[0].startswith("my photos/cat/")
    for k in ("train", "val"):
        assert len(ds.split[k]) == 2 and sorted(ds.labels[ds.split[k]].tolist()) == [0, 1]


# --- Names ---------------------------------------------------------------------------------------------------

def test_non_utf8_names_give_readable_labels(env):
    entries = {f"caf#/{i}.png": img_bytes(i) for i in range(2)}
    entries |= {f"ma#/{i}.png": img_bytes(10 + i) for i in range(2)}
    entries |= {f"nino/{i}.png": img_bytes(20 + i) for i in range(2)}
    z = env.zip("legacy.zip", entries)
    patch(z, b"caf#/", b"caf\x82/")  # cp437 e-acute, as old Windows tools write it
    patch(z, b"ma#/", b"ma\xe3/")     # a Latin-1 byte, not valid UTF-8: decoded as cp437, never a crash
    ds = open_dataset(str(z))
    assert "café" in ds.classes
    assert all("\ufffd" not in c and c.isprintable() for c in ds.classes)


def test_utf8_names_without_the_flag_are_read_as_utf8(env):
    entries = {f"ma#@/{i}.png": img_bytes(i) for i in range(2)} | {f"pera/{i}.png": img_bytes(5 + i) for i in range(2)}
    z = env.zip("noflag.zip", entries)
    patch(z, b"ma#@/", b"ma\xc3\xa7/")  # "maç" in UTF-8 bytes, flag bit not set
    with zipfile.ZipFile(z) as zf:
        assert not zf.infolist()[0].flag_bits & 0x800
    ds = open_dataset(str(z))
    assert ds.classes == ["maç", "pera"]


class OemName(zipfile.ZipInfo):
    """An entry named as Windows' built-in zip ("Send to > Compressed folder") names it: the bytes of the OEM
    code page (cp850 on Brazilian Windows, cp437 on US Windows) and no UTF-8 flag (bit 0x800)."""

    def __init__(self, name: str, codepage: str):
        super().__init__(name.encode(codepage).decode("cp437"))  # zipfile's own reading of those bytes

    def _encodeFilenameFlags(self):  # zipfile would write a non-ASCII name as UTF-8 with the flag set
        return self.filename.encode("cp437"), self.flag_bits & ~0x800


def windows_zip(path: Path, entries: dict[str, bytes], codepage: str = "cp850") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, payload in entries.items():
            zf.writestr(OemName(name, codepage), payload)
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as zf:  # on disk: the code page's bytes, in both headers, and no flag
        for info, name in zip(zf.infolist(), entries):
            assert not info.flag_bits & 0x800 and raw.count(name.encode(codepage)) >= 2
    return path


PORTUGUESE = ["maçã", "limão", "pêssego", "coração", "Água", "Ônibus", "Índio", "Último", "Éramos", "óculos",
              "à vista", "nº 1 e 2ª", "ÁÀÂÃÉÊÍÓÔÕÚÜÇ áàâãéêíóôõúüç"]


def test_windows_zip_names_in_cp850_read_as_typed(env):
    entries = {f"Coleção de fotos/{c}/{i}.png": img_bytes(10 * k + i) for k, c in enumerate(PORTUGUESE)
               for i in range(2)}
    z = windows_zip(env.dir / "windows.zip", entries)
    with zipfile.ZipFile(z) as zf:  # what Python alone makes of them
        assert "Coleç╞o de fotos/maç╞/0.png" in zf.namelist()
    ds = open_dataset(str(z))
    assert sorted(ds.classes) == sorted(PORTUGUESE) and len(ds) == 2 * len(PORTUGUESE)
    assert ds.files == list(entries) and not ds.report["collisions"]


def test_cp437_names_that_cp850_would_garble_still_read_as_typed(env):
    typed = ["café", "ε-greedy", "x≥0", "a≡b"]  # cp850 reads ε as '¯' and ≡ as an invisible soft hyphen
    entries = {f"{c}/{i}.png": img_bytes(10 * k + i) for k, c in enumerate(typed) for i in range(2)}
    ds = open_dataset(str(windows_zip(env.dir / "us.zip", entries, "cp437")))
    assert sorted(ds.classes) == sorted(typed)


def test_checks_on_windows_names_name_the_entry_as_typed(env):
    z = env.dir / "twice.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for name, b in good_entries(("maçã", "limão")).items():
            zf.writestr(OemName(name, "cp850"), b)
        with pytest.warns(UserWarning):
            zf.writestr(OemName("limão/1.png", "cp850"), img_bytes(77))
    env.rejected(z, "limão/1.png", "twice")
    z = windows_zip(env.dir / "overlap.zip", good_entries(("maçã", "limão")))
    raw = bytearray(z.read_bytes())
    central = [i for i in range(len(raw)) if raw[i:i + 4] == b"PK\x01\x02"]
    raw[central[1] + 42: central[1] + 46] = (0).to_bytes(4, "little")  # the second entry starts on the first
    z.write_bytes(bytes(raw))
    env.rejected(z, "overlap", "maçã/0.png", "maçã/1.png")


def test_decomposed_names_from_macos_are_stored_composed(env):
    nfd = {unicodedata.normalize("NFD", f"{c}/{c} {i}.png"): img_bytes(10 * k + i)
           for k, c in enumerate(["maçã", "limão"]) for i in range(2)}
    junk = {unicodedata.normalize("NFD", "__MACOSX/maçã/._x.png"): b"junk"}
    ds = open_dataset(str(env.zip("mac.zip", nfd | junk)))
    assert ds.classes == ["limão", "maçã"] and not ds.report["collisions"]
    assert ds.files == [unicodedata.normalize("NFC", f) for f in nfd]
    assert all(unicodedata.is_normalized("NFC", s["path"]) for s in ds.report["skipped"])


def test_nfc_and_nfd_accents_merge_with_a_warning(env):
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    entries = {f"{nfc}/{i}.png": img_bytes(i) for i in range(2)} | {f"{nfd}/{i}.png": img_bytes(10 + i) for i in range(2)}
    entries |= {f"chá/{i}.png": img_bytes(20 + i) for i in range(2)}
    ds = open_dataset(str(env.zip("accents.zip", entries)))
    assert ds.classes == ["café", "chá"] and ds.report["counts"]["café"] == 4
    col = ds.report["collisions"]
    assert len(col) == 1 and col[0]["kind"] == "unicode" and col[0]["action"] == "merged"
    assert any("Unicode" in w and "merged" in w for w in map(str, ds.warnings))


def test_case_only_twins_are_kept_apart_with_a_warning(env):
    entries = good_entries(("Cat", "cat", "dog"), n=2)
    ds = open_dataset(str(env.zip("case.zip", entries)))
    assert ds.classes == ["Cat", "cat", "dog"]
    assert [c["kind"] for c in ds.report["collisions"]] == ["case"]
    assert any("'Cat'" in w and "'cat'" in w and "letter case" in w for w in map(str, ds.warnings))


# --- Concurrency ---------------------------------------------------------------------------------------------

def test_same_zip_from_two_sessions_at_once_stores_one_copy(data_dir, tmp_path):
    z = make_zip(tmp_path / "same.zip", good_entries(n=6))
    results, errors = [], []

    def go():
        try:
            results.append(open_dataset(str(z)))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len({d.id for d in results}) == 1
    assert [p.name for p in (data_dir / "datasets").iterdir() if p.name != ".locks"] == [results[0].id]
    assert len(results[0]) == 12


def test_same_zip_from_two_processes_at_once(data_dir, tmp_path):
    z = make_zip(tmp_path / "proc.zip", good_entries(n=4))
    env = os.environ.copy()
    procs = [subprocess.Popen([sys.executable, "-c", "import sys, json; sys.path.insert(0, '.');"
                               "from core.data import open_dataset; d = open_dataset(sys.argv[1]);"
                               "print(json.dumps([d.id, len(d)]))", str(z)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    ids = {tuple(json.loads(o)) for o, _ in outs}
    assert len(ids) == 1 and next(iter(ids))[1] == 8
    assert [p.name for p in (data_dir / "datasets").iterdir() if p.name != ".locks"] == [next(iter(ids))[0]]


# --- Images at the dataset level ------------------------------------------------------------------------------

def _folder(root: Path, entries: dict[str, bytes]) -> Path:
    for name, b in entries.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b)
    return root


def test_bad_images_are_skipped_and_listed(data_dir, tmp_path):
    rng = np.random.default_rng(0)
    jpeg = img_bytes(1, "JPEG", size=(64, 64))
    entries = good_entries() | {
        "cat/zero.png": b"", "cat/text.jpg": b"just words\n", "cat/pixel.png": img_bytes(2, size=(1, 1)),
        "dog/cut.jpg": jpeg[: len(jpeg) // 2], "dog/scan.psd": b"8BPS",
        "dog/noise.tif": img_bytes(int(rng.integers(100)), "TIFF")}
    ds = open_dataset(str(_folder(tmp_path / "mixed", entries)))
    codes = {s["path"]: s["code"] for s in ds.report["skipped"]}
    assert codes == {"cat/zero.png": "empty", "cat/text.jpg": "not_image", "cat/pixel.png": "too_small",
                     "dog/cut.jpg": "truncated", "dog/scan.psd": "format"}
    why = {s["path"]: s for s in ds.report["skipped"]}
    assert data.skipped_text(why["cat/zero.png"]) == "the file is empty"  # the path has its own column
    assert data.skipped_text(why["cat/zero.png"], "pt") == "o arquivo está vazio"
    assert "PSD format is not accepted" in data.skipped_text(why["dog/scan.psd"])
    assert len(ds) == 7 and ds.report["counts"] == {"cat": 3, "dog": 4}
    assert "dog/noise.tif" in ds.files and ds.report["sizes"]["formats"] == {"PNG": 6, "TIFF": 1}


def test_an_image_over_the_pixel_limit_refuses_the_dataset(env):
    from tests.test_images import _png_header_only
    entries = good_entries()
    entries["dog/bomb.png"] = _png_header_only(30_000, 30_000)  # 900 MP declared in under 100 bytes
    env.rejected(env.zip("pixelbomb.zip", entries), "dog/bomb.png", "too many pixels", "refused")
    env.rejected(_folder(env.dir / "pixelbomb", entries), "dog/bomb.png", "refused")
    with pytest.raises(DatasetRejected) as err:
        open_dataset(str(env.dir / "pixelbomb.zip"))
    assert err.value.text("pt").startswith("'dog/bomb.png' é grande demais") and "pixels demais" in err.value.text("pt")
    entries["dog/bomb.png"] = _png_header_only(9_000, 8_000)  # 72 MP: over the limit, under Pillow's bomb check
    msg = env.rejected(env.zip("big.zip", entries), "dog/bomb.png", "9000×8000 pixels is over the 64 MP limit")
    assert msg.startswith("'dog/bomb.png' is too large to be a dataset image (9000×8000 pixels")


def test_exif_rotated_photos_are_stored_upright(data_dir, tmp_path):
    arr = np.zeros((40, 80, 3), np.uint8)
    arr[:, :40] = (255, 0, 0)
    arr[:, 40:] = (0, 0, 255)
    exif = Image.Exif()
    exif[0x0112] = 6
    shots = []
    for q in (95, 90):
        buf = io.BytesIO()
        Image.fromarray(arr).save(buf, "JPEG", exif=exif, quality=q)
        shots.append(buf.getvalue())
    entries = {"up/a.jpg": shots[0], "up/b.jpg": shots[1],
               "other/a.png": img_bytes(1, size=(40, 80)), "other/b.png": img_bytes(2, size=(40, 80))}
    ds = open_dataset(str(_folder(tmp_path / "exif", entries)))
    i = ds.files.index("up/a.jpg")
    im = np.asarray(ds.images[i]).astype(int)  # 40x80 upright, short side 40 -> cache 40, crops the centre
    s = ds.cache_size
    assert im[: s // 4, :, 0].mean() > 200 and im[-s // 4:, :, 2].mean() > 200


def _photo(name: str, size: tuple[int, int], orientation: int | None = None) -> bytes:
    """A scikit-image photo resized to ``size`` as a JPEG (quality 90), optionally with an EXIF orientation."""
    from skimage import data as sk
    im = Image.fromarray(getattr(sk, name)()).resize(size, Image.Resampling.BILINEAR)
    kw = {}
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kw["exif"] = exif
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90, **kw)
    return buf.getvalue()


def test_reduced_jpeg_decoding_stores_nearly_the_pixels_of_a_full_decode(data_dir, tmp_path):
    """JPEGs are decoded at 1/2, 1/4 or 1/8 scale (draft mode, never below the cache side). Against a full decode
    with the same resize and crop, the stored pixels differ by a mean absolute error under 1 grey level of 255
    (0.3 to 0.9 measured on scikit-image photos at 1024×768 and 3072×2304), EXIF orientation included."""
    from PIL import ImageOps
    from core import images as imgs
    shots = {"a/coffee.jpg": _photo("coffee", (1024, 768)), "a/rocket.jpg": _photo("rocket", (2048, 1536)),
             "b/astronaut.jpg": _photo("astronaut", (1024, 768), orientation=6),
             "b/chelsea.jpg": _photo("chelsea", (768, 1024), orientation=8)}
    ds = open_dataset(str(make_zip(tmp_path / "photos.zip", shots)))
    assert ds.cache_size == 256
    for rel, payload in shots.items():
        i = ds.files.index(rel)
        full = ImageOps.exif_transpose(Image.open(io.BytesIO(payload))).convert("RGB")  # every pixel decoded
        assert max(imgs.open_rgb(payload, min_side=256).size) < max(full.size)        # ours was reduced
        stored = np.asarray(ds.images[i]).astype(int)
        err = np.abs(stored - imgs.fit_square(full, 256).astype(int))
        assert err.mean() < 1.0 and np.percentile(err, 99) <= 8, (rel, err.mean())
        # the rule the stored pixels follow (a change to it changes caches: see FORMAT_VERSION)
        reduced = Image.open(io.BytesIO(payload))
        reduced.draft("RGB", (256, 256))
        rule = ImageOps.fit(ImageOps.exif_transpose(reduced).convert("RGB"), (256, 256), Image.Resampling.BILINEAR)
        assert (stored == np.asarray(rule)).all(), rel
    assert ds.original_sizes.tolist() == [list(Image.open(io.BytesIO(shots[f])).size) for f in ds.files]


@pytest.mark.parametrize("ahead_bytes", [1, None])
def test_files_read_ahead_of_the_decoders_are_bounded(data_dir, tmp_path, monkeypatch, ahead_bytes):
    """RELIABILITY 'many large photos': at most DECODE_AHEAD files (and DECODE_AHEAD_BYTES) wait in memory."""
    from core.data import dataset, ingest
    if ahead_bytes:
        monkeypatch.setattr(ingest, "DECODE_AHEAD_BYTES", ahead_bytes)
    counts = {"read": 0, "stored": 0, "most": 0}
    real_read, real_add = zipsafe.read_capped, dataset.Builder.add

    def read(*a, **kw):
        out = real_read(*a, **kw)
        counts["read"] += 1
        counts["most"] = max(counts["most"], counts["read"] - counts["stored"])
        return out

    def add(self, *a, **kw):
        counts["stored"] += 1
        return real_add(self, *a, **kw)

    monkeypatch.setattr(zipsafe, "read_capped", read)
    monkeypatch.setattr(dataset.Builder, "add", add)
    entries = good_entries(("a", "b", "c"), n=20)
    ds = open_dataset(str(make_zip(tmp_path / "many.zip", entries)))
    assert counts["read"] == counts["stored"] == len(ds) == 60 and ds.files == list(entries)  # in file order
    assert counts["most"] == (1 if ahead_bytes else ingest.DECODE_AHEAD)


def test_ids_of_stored_datasets_do_not_change():
    """An id is the hash of the source, the split and FORMAT_VERSION: datasets stored by earlier versions keep
    opening instantly only while these stay as they were. Bump FORMAT_VERSION (new ids) only when the stored
    pixels for the same source change, so that no cache made by an older rule is served as a newer one."""
    from core.data import store
    assert data.FORMAT_VERSION == 1
    assert store.make_id(bytes(32), (0.2, 0.0)) == "6ff50a7a224c7920"
    assert store.make_id(bytes(32), (0.2, 0.1)) == "7e79542356edea4c"
    assert store.make_id(b"demo:faces", (0.2, 0.0)) == "66e82a32122453d6"


def test_the_size_probe_reads_a_short_prefix_and_more_only_when_the_header_is_longer():
    from core.data.zipsafe import PROBE_FIRST, probe_head

    class Counting(io.BytesIO):
        taken = 0

        def read(self, n=-1):
            out = super().read(n)
            self.taken += len(out)
            return out

    plain = Counting(_photo("coffee", (640, 480)))
    assert probe_head(plain) == (640, 480) and plain.taken == PROBE_FIRST
    long_header = io.BytesIO()  # a 60 kB colour profile before the frame header, as some cameras write
    Image.fromarray(np.zeros((48, 64, 3), np.uint8)).save(long_header, "JPEG", icc_profile=bytes(60_000))
    deep = Counting(long_header.getvalue())
    assert probe_head(deep) == (64, 48) and deep.taken > 60_000


def test_folder_symlinks_are_not_followed(data_dir, tmp_path):
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "s.png").write_bytes(img_bytes(99))
    root = _folder(tmp_path / "links", good_entries())
    (root / "cat" / "evil.png").symlink_to(outside / "s.png")
    (root / "leak").symlink_to(outside)
    ds = open_dataset(str(root))
    assert ds.classes == ["cat", "dog"] and len(ds) == 6
    assert {s["path"] for s in ds.report["skipped"] if s["code"] == "symlink"} == {"cat/evil.png", "leak"}


# --- Report, split, storage ------------------------------------------------------------------------------------

def test_report_counts_sizes_duplicates_leakage_and_imbalance(data_dir, tmp_path):
    same = img_bytes(1000)
    entries = {f"big/{i}.png": img_bytes(i, size=(30 + i, 20)) for i in range(12)}
    entries |= {"small/a.png": same, "small/b.png": img_bytes(2000, size=(40, 40)), "big/dup.png": same}
    ds = open_dataset(str(_folder(tmp_path / "rep", entries)))
    r = ds.report
    assert r["counts"] == {"big": 13, "small": 2} and r["num_images"] == 15
    widths = sorted([30 + i for i in range(12)] + [24, 24, 40])
    assert r["sizes"]["width"] == {"min": 24, "median": float(np.median(widths)), "max": 41,
                                   "mean": round(float(np.mean(widths)), 1)}
    keys = [w["key"] for w in r["warnings"]]
    assert "data.warn.imbalance" in keys and "data.warn.dup_classes" in keys and "data.warn.small_val" in keys
    assert r["num_duplicate_groups"] == 1 and r["duplicates"][0]["classes"] == ["big", "small"]
    # every warning is stored as a key and its parameters, never an English sentence beside a code
    assert all(set(w) == {"key", "params"} for w in r["warnings"]) and "warning_items" not in r
    assert [n.key for n in ds.warnings] == keys
    assert sum(r["split"].values()) == 15 and r["split_counts"]["val"]["small"] == 1


# What the code before notices stored in report.json (taken from a dataset it wrote), plus a code it never had.
LEGACY_WARNINGS = [
    {"code": "imbalance", "message": "Class imbalance: 'big' has 13 images and 'Cat' has 2 (6.5×); accuracy alone "
     "will flatter the larger class.",
     "params": {"big": "big", "small": "Cat", "n_big": 13, "n_small": 2, "ratio": 6.5}},
    {"code": "collision_case", "message": "Folders 'Cat', 'cat' differ only in letter case or spaces; they are kept "
     "as separate classes (rename or merge them if they are the same).", "params": {"names": "'Cat', 'cat'"}},
    {"code": "small_val", "message": "Only 6 validation images: accuracy moves in steps of 17 points, so small "
     "differences between runs mean little.", "params": {"n": 6, "step": 17}},
    {"code": "retired", "message": "A warning no catalog knows.", "params": {}},
]


def _make_legacy(ds, report_fields: dict) -> None:
    path = ds.dir / "report.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    report.update(report_fields)
    report = {k: v for k, v in report.items() if v is not None}
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def test_datasets_stored_before_notices_open_and_show_their_warnings(data_dir):
    from core.i18n import t
    ds = open_dataset("demo:faces")
    english = [w["message"] for w in LEGACY_WARNINGS]
    old_skip = {"path": "cat/zero.png", "reason": "the file is empty", "code": "empty"}  # reasons were English
    _make_legacy(ds, {"warnings": english, "warning_items": LEGACY_WARNINGS, "skipped": [old_skip]})
    old = open_dataset(ds.id)
    assert data.skipped_text(old.report["skipped"][0], "pt") == "the file is empty"
    assert [str(n) for n in old.warnings] == english
    pt = [n.text("pt") for n in old.warnings]
    assert pt[0] == t("data.warn.imbalance", "pt", **LEGACY_WARNINGS[0]["params"]) and pt[0] != english[0]
    assert pt[3] == "A warning no catalog knows."  # no key for its code: the English it stored
    r = run_cli("data", "inspect", ds.id, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["warnings"] == english
    assert json.loads(r.stdout)["skipped"] == [{"path": "cat/zero.png", "reason": "the file is empty"}]
    _make_legacy(ds, {"warnings": english[:1], "warning_items": None})  # sentences only, no codes at all
    assert [str(n) for n in open_dataset(ds.id).warnings] == english[:1]


def test_within_class_duplicates_stay_in_one_split():
    labels = np.array([0] * 10 + [1] * 10)
    hashes = [f"h{i}" for i in range(20)]
    hashes[1] = hashes[2] = hashes[3] = "dup"
    for seed in range(10):
        split = data.stratified_split(labels, hashes, 0.3, 0.0, seed)
        where = {k for k, v in split.items() if set(v.tolist()) & {1, 2, 3}}
        assert len(where) == 1


def test_split_is_stratified_deterministic_and_complete():
    labels = np.repeat(np.arange(3), [50, 20, 7])
    a = data.stratified_split(labels, None, 0.2, 0.1, 0)
    b = data.stratified_split(labels, None, 0.2, 0.1, 0)
    assert all((a[k] == b[k]).all() for k in a)
    allidx = np.concatenate([a["train"], a["val"], a["test"]])
    assert sorted(allidx.tolist()) == list(range(len(labels)))
    assert np.bincount(labels[a["val"]]).tolist() == [10, 4, 1]
    assert np.bincount(labels[a["test"]]).tolist() == [5, 2, 1]
    c = data.stratified_split(labels, None, 0.2, 0.1, 1)
    assert not (c["val"] == a["val"]).all()


def test_same_zip_again_is_instant_and_the_split_is_stored(data_dir, tmp_path):
    z = make_zip(tmp_path / "again.zip", good_entries(n=5))
    first = open_dataset(str(z))
    stamp = (first.dir / "meta.json").stat().st_mtime_ns
    second = open_dataset(str(z))
    assert second.id == first.id and (second.dir / "meta.json").stat().st_mtime_ns == stamp
    assert all((first.split[k] == second.split[k]).all() for k in first.split)
    assert open_dataset(first.id).id == first.id
    with_test = open_dataset(str(z), test_fraction=0.2)
    assert with_test.id != first.id and len(with_test.split["test"]) == 2


def test_cache_is_a_memory_mapped_uint8_square(data_dir, tmp_path):
    entries = {f"red/{i}.jpg": img_bytes(0, "JPEG", size=(300, 200), color=(250, 10, 10)) for i in range(3)}
    entries |= {f"blue/{i}.png": img_bytes(0, size=(300 + i, 200), color=(0, 0, 255)) for i in range(3)}
    ds = open_dataset(str(_folder(tmp_path / "colours", entries)))
    assert isinstance(ds.images, np.memmap) and ds.images.dtype == np.uint8
    assert ds.images.shape == (6, 200, 200, 3) and ds.cache_size == 200
    assert ds.labels.dtype == np.int64 and ds.classes == ["blue", "red"]
    red = ds.images[ds.labels == 1].astype(int)
    assert (abs(red - (250, 10, 10)) < 12).all()
    assert ds.original_sizes.tolist()[0] == [300, 200]


def test_cache_size_limits():
    assert data.choose_size([8] * 10) == 32
    assert data.choose_size([768] * 10) == 256
    assert data.choose_size([100, 100, 120]) == 96


def test_list_and_delete(data_dir, tmp_path):
    a = open_dataset("demo:faces")
    b = open_dataset(str(make_zip(tmp_path / "b.zip", good_entries())))
    ids = [i.id for i in list_datasets()]
    assert set(ids) == {a.id, b.id}
    info = next(i for i in list_datasets() if i.id == b.id)
    assert info.classes == ["cat", "dog"] and info.num_images == 6 and info.name == "b"
    delete_dataset(b.id)
    assert [i.id for i in list_datasets()] == [a.id]
    assert not b.dir.exists() and a.dir.exists()
    with pytest.raises(UserError, match="No stored dataset"):
        delete_dataset(b.id)
    with pytest.raises(UserError, match="not a dataset id"):
        delete_dataset("../../etc")
    with pytest.raises(UserError, match="No stored dataset"):
        open_dataset(b.id)


def test_upload_is_streamed_into_the_data_dir_and_discarded(data_dir, tmp_path):
    z = make_zip(tmp_path / "up.zip", good_entries())
    with open(z, "rb") as fh:
        saved = data.save_upload(fh, "../../My Photos.zip")
    assert saved.resolve().is_relative_to(data_dir.resolve()) and saved.name == "My Photos.zip"
    ds = open_dataset(str(saved))
    assert ds.name == "My Photos"
    assert ds.id == open_dataset(str(z)).id  # the digest taken while streaming is the file's own
    data.discard_upload(saved)
    assert not saved.exists() and not any((data_dir / "uploads").iterdir())
    # a re-upload of a stored zip opens without reading it again: its bytes are never hashed a second time
    with open(z, "rb") as fh:
        again = data.save_upload(fh, "again.zip")
    raw = again.read_bytes()
    again.write_bytes(raw[:4] + bytes(len(raw) - 4))  # same size and zip signature, other content
    assert open_dataset(str(again)).id == ds.id
    data.discard_upload(again)


def test_progress_is_reported(data_dir, tmp_path):
    seen = []
    open_dataset(str(make_zip(tmp_path / "p.zip", good_entries(n=12))), progress=lambda f, m: seen.append((f, m)))
    fracs = [f for f, _ in seen]
    assert fracs == sorted(fracs) and fracs[-1] == 1.0 and all(isinstance(m, Notice) for _, m in seen)
    assert str(seen[-1][1]) == "stored" and seen[-1][1].text("pt") == "guardado"
    assert "decoding 24/24" in [str(m) for _, m in seen]


def test_an_interrupted_ingest_leaves_nothing_behind(data_dir, tmp_path):
    z = make_zip(tmp_path / "stop.zip", good_entries(n=40))

    def stop_halfway(fraction, message):
        if fraction > 0.5 and fraction < 1:
            raise KeyboardInterrupt  # what a closed browser tab or Ctrl-C does to the running script

    with pytest.raises(KeyboardInterrupt):
        open_dataset(str(z), progress=stop_halfway)
    assert {p.name for p in (data_dir / "datasets").iterdir()} == {".locks"}
    assert len(open_dataset(str(z))) == 80  # and the next try works


def test_thumbnails(data_dir):
    ds = open_dataset("demo:digits")
    th = data.thumbnails(ds, per_class=3)
    assert list(th) == ds.classes and all(len(v) == 3 for v in th.values())
    arr, name = th["7"][0]
    assert arr.shape == (ds.cache_size, ds.cache_size, 3) and name.startswith("7/")
    val = data.thumbnails(ds, per_class=2, split="val")
    assert all(ds.files.index(n) in set(ds.split["val"].tolist()) for v in val.values() for _, n in v)


# --- Demo sets -------------------------------------------------------------------------------------------------

def test_demo_digits(data_dir):
    ds = open_dataset("demo:digits")
    assert len(ds) == 1797 and ds.classes == [str(i) for i in range(10)]
    assert ds.images.shape == (1797, 32, 32, 3) and ds.cache_size == 32
    from sklearn.datasets import load_digits
    assert (np.bincount(ds.labels) == np.bincount(load_digits().target)).all()
    assert abs(len(ds.split["val"]) - 0.2 * 1797) <= 10 and len(ds.split["test"]) == 0
    # dark ink on white paper: the border of every digit is paper
    corners = np.asarray(ds.images[:, :2, :2]).astype(int)
    assert np.median(corners) == 255 and ds.images.min() < 40


def test_demo_faces(data_dir):
    ds = open_dataset("demo:faces")
    assert len(ds) == 200 and ds.classes == ["face", "not_face"] and ds.report["counts"] == {"face": 100, "not_face": 100}
    assert ds.images.shape == (200, 32, 32, 3) and ds.images.std() > 20
    with pytest.raises(UserError, match="demo:digits"):
        open_dataset("demo:cars")


def test_demo_written_as_folders_ingests_to_the_same_cache(data_dir, tmp_path):
    out = tmp_path / "faces"
    info = data.write_demo("faces", out)
    assert info["counts"] == {"face": 100, "not_face": 100}
    assert sorted(p.name for p in out.iterdir()) == ["face", "not_face"]
    from_folder = open_dataset(str(out))
    built_in = open_dataset("demo:faces")
    assert from_folder.classes == built_in.classes
    assert (np.asarray(from_folder.images) == np.asarray(built_in.images)).all()
    assert (from_folder.labels == built_in.labels).all()
    with pytest.raises(UserError, match="not an empty folder"):
        data.write_demo("faces", out)


# --- CLI -------------------------------------------------------------------------------------------------------

def test_cli_inspect_json_and_exit_codes(data_dir, tmp_path):
    entries = good_entries() | {"__MACOSX/._x": b"junk"}
    z = make_zip(tmp_path / "cli.zip", entries)
    r = run_cli("data", "inspect", z, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["classes"] == ["cat", "dog"] and out["counts"] == {"cat": 3, "dog": 3} and out["num_images"] == 6
    assert out["skipped"] == [{"path": "__MACOSX/._x", "reason": "macOS metadata folder (__MACOSX), not an image"}]
    assert isinstance(out["warnings"], list) and all(isinstance(w, str) for w in out["warnings"])
    text = run_cli("data", "inspect", z)
    assert text.returncode == 0 and "cat" in text.stdout and "skipped 1" in text.stdout
    bad = tmp_path / "bad.zip"
    bad.write_text("nope")
    r = run_cli("data", "inspect", bad, "--json")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().count("\n") == 0 and "not a zip" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("data", "demo", "digits", "--out", tmp_path / "digits", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["num_images"] == 1797
    assert len(list((tmp_path / "digits" / "3").iterdir())) == 183
    r = run_cli("data", "list", "--json")
    assert [d["name"] for d in json.loads(r.stdout)["datasets"]] == ["cli"]
    r = run_cli("data", "delete", "0123456789abcdef")
    assert r.returncode == 2 and "No stored dataset" in r.stderr


def test_cli_inspect_holds_out_a_test_split(data_dir, tmp_path):
    z = make_zip(tmp_path / "fruit.zip", good_entries(("maçã", "pera"), n=10))
    r = run_cli("data", "inspect", z, "--test-fraction", "0.1", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["split"] == {"train": 14, "val": 4, "test": 2} and out["test_fraction"] == 0.1
    assert open_dataset(out["id"]).test_fraction == 0.1 and len(open_dataset(out["id"]).split["test"]) == 2
    text = run_cli("data", "inspect", z, "--test-fraction", "0.1")
    assert "split: train 14, val 4, test 2" in text.stdout
    plain = json.loads(run_cli("data", "inspect", z, "--json").stdout)  # no test split: another stored dataset
    assert plain["split"]["test"] == 0 and plain["id"] != out["id"]
    r = run_cli("data", "inspect", plain["id"], "--test-fraction", "0.2")  # an id opens as stored: say so
    assert r.returncode == 2 and "stored with a 20% validation split and a 0% test split" in r.stderr
    assert run_cli("data", "inspect", out["id"], "--test-fraction", "0.1").returncode == 0


# --- The page ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "pt"])
def test_page_runs_in_both_languages(data_dir, lang):
    from streamlit.testing.v1 import AppTest
    open_dataset("demo:faces")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    from core.i18n import t
    assert at.title[0].value == t("data.title", lang)
    # open the stored demo set from the list and render its report
    assert any(e.value == t("data.report_title", lang) for e in at.subheader), [e.value for e in at.subheader]
    assert not at.error


def _data_page(lang="en"):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception and not at.error
    return at


def test_page_with_no_dataset_ingests_a_demo_then_deletes_it(data_dir):
    from core.i18n import t
    at = _data_page("pt")
    assert not at.exception and at.info[0].value == t("data.none_stored", "pt")
    at.radio(key="data_source").set_value("demo").run()
    at.selectbox(key="data_demo").set_value("digits").run()
    at.button(key="data_ingest").click().run()
    assert not at.exception and not at.error
    assert [i.name for i in list_datasets()] == ["Digits (scikit-learn, 8×8)"]
    assert at.selectbox(key="data_pick").value == list_datasets()[0].id
    assert at.metric[0].value == "1.797"  # pt-BR groups thousands with a dot
    at.button(key="data_delete").click().run()
    assert not at.exception and not at.error and list_datasets() == []


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_page_stores_a_test_split_and_says_what_it_is_for(data_dir, lang):
    from core.i18n import t
    at = _data_page(lang)
    assert t("data.test_explain", lang) in [c.value for c in at.caption]
    ten = {"en": "10%", "pt": "10 %"}[lang]  # the reader's style: Brazilian Portuguese puts a space
    assert at.radio(key="data_test").options == [t("data.test_none", lang), ten, ten.replace("1", "2")]
    at.radio(key="data_source").set_value("demo").run()
    at.selectbox(key="data_demo").set_value("faces").run()
    at.radio(key="data_test").set_value(0.1).run()
    at.button(key="data_ingest").click().run()
    assert not at.exception and not at.error
    (info,) = list_datasets()
    ds = open_dataset(info.id)
    assert info.test_fraction == 0.1 and ds.report["split"] == {"train": 140, "val": 40, "test": 20}
    assert at.metric[3].value == "140 / 40 / 20"
    assert t("data.test_held", lang, n=20) in [c.value for c in at.caption]
    assert at.selectbox(key="data_pick").options == [t("data.pick_item_test", lang, name=data.shown_name(info.name, lang),
                                                        n=200, k=2, test=ten, created=info.created[:16].replace("T", " "))]
    at.radio(key="data_test").set_value(0.0).run()  # the same demo without a test split is another dataset
    at.button(key="data_ingest").click().run()
    assert not at.exception and not at.error
    assert len(list_datasets()) == 2
    assert t("data.test_absent", lang) in [c.value for c in at.caption]


def test_page_shows_the_warnings_of_an_old_dataset_in_portuguese(data_dir):
    from core.i18n import t
    ds = open_dataset("demo:faces")
    _make_legacy(ds, {"warnings": [w["message"] for w in LEGACY_WARNINGS], "warning_items": LEGACY_WARNINGS})
    at = _data_page("pt")
    assert not at.exception and not at.error
    shown = [w.value for w in at.warning]
    assert shown[0] == t("data.warn.imbalance", "pt", **LEGACY_WARNINGS[0]["params"])
    assert shown[-1] == "A warning no catalog knows." and len(shown) == len(LEGACY_WARNINGS)


def test_page_shows_one_sentence_for_a_bad_server_path(data_dir, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_text("nope")
    at = _data_page()
    at.radio(key="data_source").set_value("path").run()
    at.text_input(key="data_path").input(str(bad)).run()
    at.button(key="data_ingest").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "not a zip archive" in at.error[0].value and "\n" not in at.error[0].value


def test_leftovers_of_abandoned_uploads_and_crashed_ingests_are_swept(data_dir, tmp_path):
    """RELIABILITY 'many sessions upload and disconnect': temp files do not pile up (old ones go, fresh stay)."""
    import os
    import time
    with open(make_zip(tmp_path / "a.zip", good_entries()), "rb") as fh:
        fresh = data.save_upload(fh, "fresh.zip")       # a session still working on its upload
    with open(make_zip(tmp_path / "b.zip", good_entries()), "rb") as fh:
        stale = data.save_upload(fh, "gone.zip")        # a session that disconnected long ago
    crashed = data.datasets_root() / ".tmp-0123456789abcdef-deadbeef"
    crashed.mkdir()
    (crashed / "images.npy").write_bytes(b"\0" * 1024)
    old = time.time() - 7 * 3600
    for p in (stale.parent, crashed):
        os.utime(p, (old, old))
    data.list_datasets()
    assert fresh.exists()
    assert not stale.parent.exists() and not crashed.exists()
