"""Browser harness: the real app under real uWSGI on a free port, driven by Debian's Chromium.

The server gets its own instance folder and database (SQLite, or a throwaway PostgreSQL
database when SHOP_TEST_DATABASE_URL is set), migrated and seeded with the demo catalogue,
all by tests/uwsgi_server.py. No browser is downloaded: Playwright launches /usr/bin/chromium.
"""

import os

import pytest

from tests.uwsgi_server import ROOT, serve_shop, shop_database
from tests.uwsgi_server import free_port as free_port  # tests/ops/test_uwsgi.py takes it from here

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"


@pytest.fixture(scope="session")
def server_database(tmp_path_factory):
    with shop_database(tmp_path_factory, "e2e") as url:
        yield url


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, server_database):
    with serve_shop(tmp_path_factory.mktemp("e2e-instance"), server_database) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def new_page(browser):
    """Open pages in a fresh context (own cookies) with a given locale and viewport width."""
    contexts = []

    def make(locale="ru-RU", width=1366, height=900):
        context = browser.new_context(
            locale=locale,
            viewport={"width": width, "height": height},
            extra_http_headers={"Accept-Language": locale},
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture()
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
