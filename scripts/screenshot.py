"""Screenshot pages of a running app in headless Debian Chromium: python scripts/screenshot.py URL OUT.png [...]

Used for the README picture and for looking at pages during development. Pass pairs of URL and output path.
"""
import shutil
import sys

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]


def wait_rendered(page, timeout_ms=120_000):
    """Wait until the main area shows content and Streamlit's running indicator is gone."""
    page.wait_for_selector("[data-testid='stMain'] [data-testid='stHeading']", timeout=timeout_ms)
    page.wait_for_timeout(500)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
    page.wait_for_timeout(800)


def main(pairs, width=1400, height=1000, wait_text=None):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        for url, out in pairs:
            page.goto(url)
            wait_rendered(page)
            page.screenshot(path=out, full_page=True)
            print("saved", out)
        browser.close()


if __name__ == "__main__":
    argv = sys.argv[1:]
    main(list(zip(argv[::2], argv[1::2])))
