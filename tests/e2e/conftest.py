"""Browser harness: the real app under real uWSGI on a free port, driven by Debian's Chromium.

The server gets its own instance folder and database (SQLite, or a throwaway PostgreSQL
database when SHOP_TEST_DATABASE_URL is set), migrated and seeded with the demo catalogue.
No browser is downloaded: Playwright launches /usr/bin/chromium.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ON_POSTGRES, TEST_DB_URL

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, url, env, log_path):
        self.url = url
        self.env = env
        self.log_path = log_path

    def manage(self, *args):
        """Run `python manage.py ...` against the live server's database."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )


@pytest.fixture(scope="session")
def server_database(tmp_path_factory):
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path_factory.mktemp('e2e-db') / 'shop.db'}"
        return
    name = f"shop_e2e_{secrets.token_hex(4)}"
    admin = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield TEST_DB_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, server_database):
    instance = tmp_path_factory.mktemp("e2e-instance")
    port = free_port()
    env = {
        **os.environ,
        "SHOP_CONFIG": "development",
        "SHOP_INSTANCE_PATH": str(instance),
        "SHOP_MEDIA_ROOT": str(instance / "media"),
        "SHOP_DATABASE_URL": server_database,
        "SHOP_HTTP": f"127.0.0.1:{port}",
        "SHOP_PROCESSES": "2",
        "SHOP_THREADS": "2",
    }
    server = LiveServer(f"http://127.0.0.1:{port}", env, instance / "uwsgi.log")
    server.manage("db", "upgrade", "heads")
    server.manage("seed-demo")
    with open(server.log_path, "w") as log:
        proc = subprocess.Popen(
            [str(BIN / "uwsgi"), "--ini", "uwsgi.ini"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(server.url, proc, server.log_path)
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_until_up(url, proc, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"uWSGI exited early:\n{Path(log_path).read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"uWSGI did not answer in {timeout}s:\n{Path(log_path).read_text()[-3000:]}")


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
