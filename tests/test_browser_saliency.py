"""The saliency page in a real headless Chromium: maps drawn, the sanity check's progress bar and Cancel (a
click during the work stops it), a bad upload named and skipped, in English and Portuguese."""
import re

import pytest

from test_browser import assert_no_error, browser, page, server, shot, wait_idle  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def titles(page, chart: int) -> list[str]:
    """The subplot titles of the page's ``chart``-th plotly figure (drawn in SVG)."""
    return [t or "" for t in page.locator(".js-plotly-plot").nth(chart).locator(".annotation-text").all_text_contents()]


def wait_quiet(page, timeout_ms=180_000):
    """wait_idle, then until no spinner is left (the maps are computed after the page's first paint)."""
    wait_idle(page, timeout_ms)
    page.wait_for_function("!document.querySelector('[data-testid=\"stSpinner\"]')", timeout=timeout_ms)
    wait_idle(page, timeout_ms)


def test_maps_sanity_check_cancel_and_a_bad_upload(server, page, tmp_path):
    page.goto(server["url"] + "/saliency?lang=en")
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=180_000)   # the probabilities, then the maps
    wait_quiet(page)
    assert page.get_by_role("heading", name="Try it and see why").is_visible()
    names = titles(page, 1)
    assert names[0] == "as the model saw it (224 px)", names
    assert [re.sub(r" · [\d.]+ s$", "", n) for n in names[1:]] == ["Saliency", "Integrated Gradients", "Grad-CAM"]
    assert_no_error(page, "maps")
    shot(page, "saliency_en")

    # the sanity check: press, see the progress bar, cancel while it runs
    page.get_by_role("tab", name="Sanity check").click()
    page.get_by_role("button", name="Run the sanity check").click()
    page.get_by_role("button", name="Cancel").wait_for(timeout=60_000)
    page.locator("[data-testid='stProgress']").wait_for(timeout=60_000)
    page.get_by_role("button", name="Cancel").click()
    page.get_by_text("Cancelled; nothing was kept.").wait_for(timeout=60_000)
    wait_quiet(page)
    assert page.get_by_role("button", name="Run the sanity check").is_visible()  # nothing was kept
    assert_no_error(page, "cancelled")
    # ... and run it to the end
    page.get_by_role("button", name="Run the sanity check").click()
    page.get_by_text(re.compile(r"^Grad-CAM: its map falls to a correlation")).wait_for(timeout=180_000)
    wait_quiet(page)
    assert_no_error(page, "sanity")
    shot(page, "saliency_sanity_en")

    # a file that is not an image: named, skipped, the sample photo still explained
    bad = tmp_path / "notes.jpg"
    bad.write_text("this is not a picture")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(bad))
    page.get_by_text(re.compile(r"Skipped notes\.jpg")).wait_for(timeout=60_000)
    wait_quiet(page)
    assert_no_error(page, "bad upload")


def test_the_portuguese_page_draws_its_maps(server, page):
    page.goto(server["url"] + "/saliency?lang=pt")
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=180_000)
    wait_quiet(page)
    assert page.get_by_role("heading", name="Experimente e veja por quê").is_visible()
    assert titles(page, 1)[0] == "como o modelo a viu (224 px)"
    assert_no_error(page, "pt")
    shot(page, "saliency_pt")
