"""The whole app runs through AppTest: every page, both languages, and the language survives page changes."""
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
    assert at.query_params["lang"] == lang


def test_home_is_default_and_sidebar_shows_device():
    at = _app().run()
    assert not at.exception
    assert at.title[0].value == "CNN Transfer Lab"
    assert any("CPU" in m.value or "GPU" in m.value for m in at.sidebar.markdown)


def test_language_choice_survives_page_changes():
    at = _app().run()
    at.selectbox(key="lang_picker").set_value("pt").run()
    assert any(s.value == "As ideias, e onde vê-las" for s in at.subheader)
    at.switch_page("pages/home.py").run()
    assert at.session_state["lang"] == "pt"
    assert any(s.value == "As ideias, e onde vê-las" for s in at.subheader)
