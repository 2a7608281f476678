"""The whole app in a real headless Chromium (Debian's), driven by Playwright, against `streamlit run`."""
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
pytestmark = pytest.mark.browser

if not shutil.which("chromium"):
    if os.environ.get("CI"):
        raise RuntimeError("chromium is missing: .ci/run must install Debian's chromium package")
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(data: Path, **env_extra):
    """``streamlit run app.py`` on a free port with ``data`` as its data directory (and ``env_extra``), until the
    block ends: ``{"url", "data"}``."""
    port = _free_port()
    env = {**os.environ, "CNNLAB_DATA_DIR": str(data), **env_extra}  # CNNLAB_RAISE_UNEXPECTED comes too
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    try:
        yield {"url": url, "data": Path(data)}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("browser-data")) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    pg = browser.new_page(viewport={"width": 1400, "height": 1000})
    yield pg
    pg.close()


def wait_idle(page, timeout_ms=120_000):
    """Wait until the main area has a heading and Streamlit's 'running' indicator is gone."""
    page.wait_for_selector("[data-testid='stMain'] [data-testid='stHeading']", timeout=timeout_ms)
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def assert_no_error(page, where=""):
    """No crash box and no red message: every page this file opens gets valid input."""
    crashes = page.locator("[data-testid='stException']")
    errors = page.locator("[data-testid='stAlertContentError']")
    assert crashes.count() == 0 and errors.count() == 0, (where, crashes.all_inner_texts(), errors.all_inner_texts())


def shot(page, name):
    out = Path(os.environ.get("CNNLAB_SCREENSHOTS", ROOT / "screenshots" / "tmp"))
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


def test_deep_link_on_a_fresh_server_goes_through_the_router(server, page):
    """Must run first: before app.py has ever run, Streamlit serves /data straight from pages/."""
    page.goto(server["url"] + "/data?lang=pt")
    wait_idle(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_text("Language / Idioma").is_visible()     # app.py's sidebar is there
    assert page.get_by_role("heading", name="Conjuntos de dados", exact=False).first.is_visible()
    assert "/data" in page.url
    assert_no_error(page)


def test_home_renders_and_language_switch_persists_across_pages(server, page):
    page.goto(server["url"] + "/?lang=en")
    wait_idle(page)
    assert page.get_by_role("heading", name="The ideas, and where to see them").is_visible()
    assert_no_error(page)
    device = page.locator("[data-testid='stSidebar']").get_by_text(re.compile(r"^(CPU only, \d+ cores|GPU: .+ GB\))$"))
    assert device.count() == 1  # the sidebar's device line, drawn without delaying the page
    shot(page, "home_en")
    # switch language in the sidebar
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").click()
    page.get_by_role("option", name="Português (Brasil)").click()
    page.get_by_role("heading", name="As ideias, e onde vê-las").wait_for(timeout=60_000)
    assert "lang=pt" in page.url
    assert_no_error(page)
    shot(page, "home_pt")
    # a refresh keeps the language (query parameter)
    page.reload()
    wait_idle(page)
    assert page.get_by_role("heading", name="As ideias, e onde vê-las").is_visible()


def test_every_page_opens_without_error(server, page):
    pages = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem != "home")
    for lang in ("en", "pt"):
        for stem in pages:
            page.goto(f"{server['url']}/{stem}?lang={lang}")
            wait_idle(page)
            assert_no_error(page, (stem, lang))
            shot(page, f"{stem}_{lang}")


def _pick(page, label, option):
    """Open the Streamlit selectbox called ``label`` and choose ``option``."""
    box = page.locator("[data-testid='stSelectbox']").filter(
        has=page.locator("[data-testid='stWidgetLabel']", has_text=label))
    box.first.locator("[data-baseweb='select'], [role='combobox']").first.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(300)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def test_user_path_dataset_then_finetune_then_download(server, page):
    """A user's whole path in the browser: store a demo set, fine-tune on it in the background, read the results."""
    page.goto(server["url"] + "/data?lang=en")
    wait_idle(page)
    page.get_by_text("Demo set", exact=True).first.click()
    wait_idle(page)
    _pick(page, "Demo set", "Faces vs. not faces (scikit-image LFW subset, 200 images of 25×25, 2 classes)")
    page.get_by_role("button", name="Check and store").click()
    page.get_by_role("heading", name="Report").wait_for(timeout=120_000)
    wait_idle(page)
    assert_no_error(page)
    shot(page, "flow_data_en")

    page.goto(server["url"] + "/finetune?lang=en")
    wait_idle(page)
    _pick(page, "Dataset", "Demo: faces vs. not faces")
    _pick(page, "Input size (px)", "64")
    page.get_by_role("button", name="Start").click()
    # the run trains in a worker process; the page only reads its folder and shows the results at the end
    page.get_by_role("heading", name="Results").wait_for(timeout=300_000)
    wait_idle(page)
    assert_no_error(page)
    download = page.locator("[data-testid='stDownloadButton']", has_text="Download the model")
    download.wait_for(timeout=60_000)
    with page.expect_download() as dl:
        download.click()
    import zipfile
    path = dl.value.path()
    assert sorted(zipfile.ZipFile(path).namelist()) == ["config.json", "model.safetensors"]
    assert page.locator(".js-plotly-plot").count() >= 2  # curves and confusion matrix
    shot(page, "flow_finetune_en")
    runs = list((server["data"] / "runs").glob("*/export/model.safetensors"))
    assert len(runs) == 1  # exactly one run: reruns while watching did not start another

    # the same run, re-attached in Portuguese after a fresh page load
    page.goto(server["url"] + "/finetune?lang=pt")
    wait_idle(page)
    page.get_by_role("heading", name="Resultados").wait_for(timeout=60_000)
    assert_no_error(page)
    shot(page, "flow_finetune_pt")


# ------------------------------------------------------------------------------ private workspaces (#14)
@pytest.fixture(scope="module")
def private_server(tmp_path_factory):
    """A second server, shared the way a class would share it: a workspace per private link."""
    with streamlit_server(tmp_path_factory.mktemp("private-data"), CNNLAB_WORKSPACES="private") as srv:
        yield srv
        from core import jobs, workspaces
        for root in workspaces.all_workspaces(srv["data"]):  # workers outlive the server: stop them
            for r in jobs.list_runs(root):
                if r["state"] in jobs.ACTIVE:
                    jobs.cancel(r["id"], root)


def _token(page) -> str:
    found = re.search(r"[?&]ws=([A-Za-z0-9_-]{24})", page.url)
    assert found, page.url
    return found.group(1)


def test_two_visitors_each_see_only_their_own_workspace(private_server, browser):
    """Two browser contexts share no cookies or session: two visitors. The second never sees the first's data."""
    url = private_server["url"]
    alice, bob = browser.new_context(viewport={"width": 1400, "height": 1000}), browser.new_context()
    try:
        a = alice.new_page()
        a.goto(url + "/data?lang=en")  # a deep link on a fresh session: the token survives the router's detour
        wait_idle(a)
        token = _token(a)
        a.get_by_text("Demo set", exact=True).first.click()
        wait_idle(a)
        _pick(a, "Demo set", "Faces vs. not faces (scikit-image LFW subset, 200 images of 25×25, 2 classes)")
        a.get_by_role("button", name="Check and store").click()
        a.get_by_role("heading", name="Report").wait_for(timeout=120_000)
        wait_idle(a)
        assert_no_error(a)
        assert "Path on the server" not in a.locator("[data-testid='stMain']").inner_text()
        a.reload()  # a refresh comes back to the same workspace
        wait_idle(a)
        a.get_by_role("heading", name="Report").wait_for(timeout=60_000)
        assert _token(a) == token
        sidebar = a.locator("[data-testid='stSidebar']")
        sidebar.get_by_text("Your workspace").click()
        assert token in sidebar.inner_text() and "Whoever has this link" in sidebar.inner_text()
        shot(a, "workspace_private_en")

        b = bob.new_page()
        b.goto(url + "/data?lang=en")
        wait_idle(b)
        assert _token(b) != token
        b.get_by_text("No dataset is stored yet", exact=False).wait_for(timeout=30_000)
        assert "Faces" not in b.locator("[data-testid='stMain']").inner_text()
        b.goto(url + f"/data?lang=en&ws={token[:-1]}!")  # a tampered link: one sentence, a fresh workspace
        wait_idle(b)
        assert b.get_by_text("not a workspace link", exact=False).count() >= 1
        assert "Faces" not in b.locator("[data-testid='stMain']").inner_text()

        later = bob.new_page()  # a new browser session given the private link re-attaches to the workspace
        later.goto(url + f"/data?lang=en&ws={token}")
        wait_idle(later)
        later.get_by_role("heading", name="Report").wait_for(timeout=60_000)
    finally:
        alice.close()
        bob.close()


def test_three_visitors_pressing_start_at_once_get_three_runs(private_server, browser):
    """Three contexts on one private link press Start together: three queued runs, none lost or doubled."""
    from core import jobs, workspaces
    url = private_server["url"]
    ws = workspaces.create(private_server["data"])
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(3)]
    try:
        pages = [c.new_page() for c in contexts]
        for p in pages:
            p.goto(url + f"/finetune?lang=en&ws={ws.token}")
            wait_idle(p)
            p.get_by_role("button", name="Start").wait_for(timeout=60_000)
        for p in pages:  # no waiting in between: the three clicks reach the server together
            p.get_by_role("button", name="Start").click(no_wait_after=True)
        deadline = time.time() + 60
        while time.time() < deadline and len(jobs.list_runs(ws.root, refresh=False)) < 3:
            time.sleep(0.2)
        for p in pages:
            wait_idle(p)
            assert_no_error(p)
        runs = jobs.list_runs(ws.root, refresh=False)
        assert len(runs) == len({r["id"] for r in runs}) == 3
        assert all(r["state"] in jobs.ACTIVE for r in runs)
        shown = {re.search(r"Run (\d{8}-\d{6}-[0-9a-f]{6})", p.locator("[data-testid='stMain']").inner_text()).group(1)
                 for p in pages}
        assert shown <= {r["id"] for r in runs}
    finally:
        for r in jobs.list_runs(ws.root):
            if r["state"] in jobs.ACTIVE:
                jobs.cancel(r["id"], ws.root)
        for c in contexts:
            c.close()
