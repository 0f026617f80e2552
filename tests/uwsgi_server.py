"""The real app under real uWSGI (`uwsgi --ini uwsgi.ini`) on a free port, for tests over HTTP.

`shop_database` makes a database of its own (SQLite, or a throwaway PostgreSQL database when
SHOP_TEST_DATABASE_URL is set); `serve_shop` migrates it (and seeds the demo catalogue), starts
uWSGI with its own instance folder and log file, waits until the home page answers, and stops
the server with a graceful SIGTERM afterwards (killed when it does not stop within 30 s).
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.conftest import ON_POSTGRES, TEST_DB_URL

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, url, env, log_path, database):
        self.url = url
        self.env = env
        self.log_path = log_path
        self.database = database

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


@contextmanager
def shop_database(tmp_path_factory, label):
    """The URL of an empty database of its own, dropped afterwards (PostgreSQL)."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path_factory.mktemp(f'{label}-db') / 'shop.db'}"
        return
    name = f"shop_{label}_{secrets.token_hex(4)}"
    admin = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield TEST_DB_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def serve_shop(
    instance, database_url, *, processes=2, threads=2, seed=True, setup=(), env_overrides=None
):
    """Serve the shop from `instance` (a folder) on `database_url`; yields a LiveServer.

    The database is migrated to the heads, seeded with the demo catalogue when `seed` is true,
    then every `setup` item (a tuple of manage.py arguments) is run, all before uWSGI starts.
    `env_overrides` are added to the server's environment (SHOP_* settings).
    """
    instance = Path(instance)
    port = free_port()
    env = {
        **os.environ,
        "SHOP_CONFIG": "development",
        "SHOP_INSTANCE_PATH": str(instance),
        "SHOP_MEDIA_ROOT": str(instance / "media"),
        "SHOP_DATABASE_URL": database_url,
        "SHOP_HTTP": f"127.0.0.1:{port}",
        "SHOP_PROCESSES": str(processes),
        "SHOP_THREADS": str(threads),
        # Tests log the same few accounts in from one address, faster than any person: the
        # account limits (5 a minute per account, 20 per address) would refuse them at random.
        # The limits themselves are tested in tests/accounts.
        "SHOP_ACCOUNT_RATE_LIMIT_PER_ACCOUNT": "1000 per minute",
        "SHOP_ACCOUNT_RATE_LIMIT_PER_IP": "1000 per minute",
        **(env_overrides or {}),
    }
    server = LiveServer(f"http://127.0.0.1:{port}", env, instance / "uwsgi.log", database_url)
    server.manage("db", "upgrade", "heads")
    if seed:
        server.manage("seed-demo")
    for args in setup:
        server.manage(*args)
    with open(server.log_path, "w") as log:
        proc = subprocess.Popen(
            [str(BIN / "uwsgi"), "--ini", "uwsgi.ini"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(server.url, proc, server.log_path)
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_until_up(url, proc, log_path, timeout=60):
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
