"""The whole app runs through AppTest: every page, both languages, and the language survives page changes.
A crash inside a page is seen (tests/conftest.py sets CNNLAB_RAISE_UNEXPECTED); the router needs no torch."""
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))


def _app():
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)


@pytest.mark.parametrize("lang", ["en", "pt"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(page, lang):
    at = _app()
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.query_params["lang"] == lang


def test_home_is_default_and_sidebar_shows_device():
    from core.device import device_info
    at = _app().run()
    assert not at.exception and not at.error
    assert at.title[0].value == "CNN Transfer Lab"
    info = device_info()  # what torch says, line for line
    if info["kind"] == "cuda":
        expected = f"GPU: {info['name']} ({info['memory_gb']} GB)"
    else:
        expected = f"CPU only, {info['cpu_cores']} cores"
    assert expected in [m.value for m in at.sidebar.markdown]
    assert f"torch {info['torch']} · torchvision {info['torchvision']} · timm {info['timm']}" in [
        c.value for c in at.sidebar.caption]


def test_the_device_known_without_torch_is_what_torch_says(monkeypatch):
    from core import device
    known, full = device.known_device_info(), device.device_info()
    if known is not None:  # no GPU can be visible: then torch must agree that there is none
        assert full["kind"] == "cpu"
        assert {k: full[k] for k in known} == known
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert device.cuda_ruled_out()


def _home_in_a_fresh_process(prelude: str = "") -> dict:
    """Run the home page through AppTest in a new process (so torch is not already imported by other tests)."""
    code = (f"{prelude}\n"
            "import json, sys; from streamlit.testing.v1 import AppTest\n"
            "at = AppTest.from_file('app.py', default_timeout=120).run()\n"
            "print(json.dumps({'exception': [e.value for e in at.exception], 'title': at.title[0].value,\n"
            "                  'sidebar': [m.value for m in at.sidebar.markdown], 'torch': 'torch' in sys.modules}))")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout.splitlines()[-1])


def test_the_home_page_imports_no_torch():
    """Importing torch takes seconds and the router runs before every page: home must draw without it where no
    GPU can be visible (where one may be, torch answers for the sidebar after the page, see the next test)."""
    from core.device import cuda_ruled_out, known_device_info
    home = _home_in_a_fresh_process()
    assert not home["exception"] and home["title"] == "CNN Transfer Lab"
    if cuda_ruled_out():
        assert home["torch"] is False, "something on the way to the home page imports torch"
        assert home["sidebar"] == [f"CPU only, {known_device_info()['cpu_cores']} cores"]


def test_where_a_gpu_may_be_visible_torch_draws_the_device_line_after_the_page():
    from core.device import device_info
    home = _home_in_a_fresh_process("import core.device; core.device.cuda_ruled_out = lambda: False")
    assert not home["exception"] and home["title"] == "CNN Transfer Lab" and home["torch"] is True
    info = device_info()
    expected = (f"GPU: {info['name']} ({info['memory_gb']} GB)" if info["kind"] == "cuda"
                else f"CPU only, {info['cpu_cores']} cores")
    assert home["sidebar"] == [expected]


def test_a_crash_inside_a_page_fails_under_test_and_is_one_sentence_in_production(monkeypatch, caplog):
    """user_errors() turns a UserError into a sentence; a TypeError is a bug, and a test must see it."""
    import core.receptive_field

    def broken(*args, **kwargs):
        raise TypeError("stack_fields() got an unexpected keyword argument")

    monkeypatch.setattr(core.receptive_field, "stack_fields", broken)
    at = _app().run()
    at.switch_page("pages/architectures.py").run()
    assert len(at.exception) == 1  # Streamlit's crash box (its text redacted by showErrorDetails = "none")
    assert not at.error

    monkeypatch.delenv("CNNLAB_RAISE_UNEXPECTED")  # production: one sentence, the traceback in the log
    with caplog.at_level(logging.ERROR, logger="core"):
        at = _app()
        at.query_params["lang"] = "pt"
        at.run()
        at.switch_page("pages/architectures.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Algo deu errado do nosso lado (TypeError), não com o que você informou: tente de novo e, se voltar a "
        "acontecer, avise quem mantém este servidor, cujo log tem os detalhes."]
    logged = [r for r in caplog.records if r.name == "core.ui"]
    assert logged and logged[0].exc_info[0] is TypeError


def test_language_choice_survives_page_changes():
    at = _app().run()
    at.selectbox(key="lang_picker").set_value("pt").run()
    assert any(s.value == "As ideias, e onde vê-las" for s in at.subheader)
    at.switch_page("pages/home.py").run()
    assert at.session_state["lang"] == "pt"
    assert any(s.value == "As ideias, e onde vê-las" for s in at.subheader)
