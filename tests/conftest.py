"""Test configuration: offline hubs, an empty weight cache and a throw-away data directory.

Set before anything imports torch/timm/huggingface_hub, so that no test can download or read a developer's
personal cache: the results are the same on every machine.
"""
import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

_SESSION_TMP = Path(tempfile.mkdtemp(prefix="cnnlab-tests-"))
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["CNNLAB_OFFLINE"] = "1"
os.environ["HF_HOME"] = str(_SESSION_TMP / "hf")
os.environ["TORCH_HOME"] = str(_SESSION_TMP / "torch")
os.environ["CNNLAB_DATA_DIR"] = str(_SESSION_TMP / "data")
# One workspace (today's behaviour) unless a test asks for private workspaces (tests/test_workspaces.py does).
os.environ["CNNLAB_WORKSPACES"] = "single"
os.environ["CNNLAB_RAISE_UNEXPECTED"] = "1"  # a page's crash fails the test instead of showing one red sentence
os.environ.setdefault("OMP_NUM_THREADS", "2")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh, empty app data directory for one test."""
    d = tmp_path / "data"
    monkeypatch.setenv("CNNLAB_DATA_DIR", str(d))
    return d


@pytest.fixture(scope="session")
def cat_photo(tmp_path_factory) -> Path:
    """scikit-image's bundled photo of a cat (Chelsea), as a PNG file."""
    from PIL import Image
    from skimage import data
    path = tmp_path_factory.mktemp("photos") / "chelsea.png"
    Image.fromarray(data.chelsea()).save(path)
    return path


@pytest.fixture(scope="session")
def coffee_photo(tmp_path_factory) -> Path:
    from PIL import Image
    from skimage import data
    path = tmp_path_factory.mktemp("photos") / "coffee.png"
    Image.fromarray(data.coffee()).save(path)
    return path


def open_page(page_file: str, lang: str):
    """A new AppTest session that opens ``page_file`` through the router in ``lang`` (no exception allowed)."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page_file).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_texts(at) -> str:
    """Every sentence an AppTest page shows: markdown, captions and alerts."""
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
                     + [w.value for w in at.warning] + [e.value for e in at.error] + [s.value for s in at.success])


@contextlib.contextmanager
def data_dir_with_a_run(root: Path):
    """``CNNLAB_DATA_DIR`` = ``root/data`` for the block, holding one finished partial run of Lite0 (48 px, one
    epoch, 15 pictures of three colours); yields the run's id. For module-scoped page fixtures."""
    from core import jobs
    from core.finetune import FinetuneConfig
    old = os.environ.get("CNNLAB_DATA_DIR")
    os.environ["CNNLAB_DATA_DIR"] = str(root / "data")
    try:
        folder = make_color_folder(root / "colors", per_class=5)
        rid, code = jobs.run_here(FinetuneConfig(data=folder, model="tf_efficientnet_lite0", strategy="partial",
                                                 epochs=1, image_size=48, batch_size=8, augment="none"))
        assert code == 0, jobs.info(rid)["message"]
        yield rid
    finally:
        os.environ["CNNLAB_DATA_DIR"] = old


def make_color_folder(root: Path, per_class: int = 10, seed: int = 0) -> str:
    """A class-per-folder dataset that trains in seconds: reddish, greenish and bluish noise, 32x32 PNGs."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(seed)
    for c, name in enumerate(["red", "green", "blue"]):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            arr = rng.integers(0, 90, (32, 32, 3), dtype=np.uint8)
            arr[..., c] += 150
            Image.fromarray(arr).save(root / name / f"{i}.png")
    return str(root)


class CliResult(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args, timeout=300, process=False) -> CliResult:
    """``python -m core ...``: in this process through ``core.cli.main`` (fast: torch is imported once), or in
    a fresh process with ``process=True`` when the process itself is the subject (exit codes seen by a shell,
    signals, what a cold start prints)."""
    argv = [str(a) for a in args]
    if process:
        import subprocess
        res = subprocess.run([sys.executable, "-m", "core", *argv], cwd=ROOT, capture_output=True, text=True,
                             timeout=timeout, env=os.environ.copy())
        return CliResult(res.returncode, res.stdout, res.stderr)
    from core.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's own errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return CliResult(code, out.getvalue(), err.getvalue())
