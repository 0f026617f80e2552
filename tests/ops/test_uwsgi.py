"""The shop under real uWSGI, started from uwsgi.ini: pages and static files, JSON logs, metrics
added up across two workers, a graceful SIGTERM, readiness that follows the database, mules.

Slow requests are held open by a test-only endpoint (tests/ops/uwsgi_app.py) until the test
releases them, so nothing here depends on timing.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ON_POSTGRES, TEST_DB_URL
from tests.e2e.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
UWSGI = Path(sys.executable).parent / "uwsgi"
TOKEN = "uwsgi-test-metrics-token"
pytestmark = pytest.mark.slow


def _create_database():
    name = f"shop_ops_{secrets.token_hex(4)}"
    admin = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, TEST_DB_URL.rsplit("/", 1)[0] + "/" + name


def _drop_database(name):
    admin = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A migrated, seeded database for the servers of this module."""
    name = None
    if ON_POSTGRES:
        name, url = _create_database()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('ops-db') / 'shop.db'}"
    env = {**os.environ, "SHOP_CONFIG": "development", "SHOP_DATABASE_URL": url}
    for args in (["db", "upgrade", "heads"], ["seed-demo"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    yield url
    if name:
        _drop_database(name)


class Server:
    def __init__(self, proc, url, log_path, folder):
        self.proc, self.url, self.log_path, self.folder = proc, url, log_path, folder

    def get(self, path, headers=None, timeout=30):
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode()

    def log(self):
        return Path(self.log_path).read_text(errors="replace")

    def wait_for_file(self, name, timeout=60):
        path = Path(self.folder) / name
        deadline = time.monotonic() + timeout
        while not path.exists():
            assert time.monotonic() < deadline, f"{name} never appeared:\n{self.log()[-3000:]}"
            assert self.proc.poll() is None, f"uWSGI died:\n{self.log()[-3000:]}"
            time.sleep(0.05)
        return path.read_text()

    def wait_for_log(self, pattern, timeout=60):
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.log()):
            assert time.monotonic() < deadline, f"no {pattern!r} in the log:\n{self.log()[-3000:]}"
            time.sleep(0.05)

    def release(self, name):
        (Path(self.folder) / f"{name}.release").write_text("go")


@pytest.fixture()
def start_server(tmp_path, database):
    servers = []

    def start(processes=2, threads=2, database_url=None, **extra_env):
        folder = tmp_path / f"server{len(servers)}"
        folder.mkdir()
        port = free_port()
        env = {
            **os.environ,
            "SHOP_CONFIG": "development",
            "SHOP_INSTANCE_PATH": str(folder),
            "SHOP_MEDIA_ROOT": str(folder / "media"),
            "SHOP_DATABASE_URL": database_url or database,
            "SHOP_HTTP": f"127.0.0.1:{port}",
            "SHOP_PROCESSES": str(processes),
            "SHOP_THREADS": str(threads),
            "SHOP_METRICS_TOKEN": TOKEN,
            "SHOP_OPS_TEST_DIR": str(folder),
            "SHOP_LOG_JSON": "true",
            **extra_env,
        }
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        log_path = folder / "uwsgi.log"
        with open(log_path, "w") as log:
            proc = subprocess.Popen(
                [str(UWSGI), "--ini", "uwsgi.ini", "--module", "tests.ops.uwsgi_app:app"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        server = Server(proc, f"http://127.0.0.1:{port}", log_path, folder)
        servers.append(server)
        _wait_until_healthy(server, processes)
        return server

    yield start
    for server in servers:
        if server.proc.poll() is None:
            server.proc.send_signal(signal.SIGINT)
            try:
                server.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.proc.kill()
                server.proc.wait()


def _wait_until_healthy(server, processes, timeout=120):
    """Until every worker has loaded the app (lazy-apps) and /healthz answers."""
    deadline = time.monotonic() + timeout
    while True:
        assert server.proc.poll() is None, f"uWSGI exited early:\n{server.log()[-3000:]}"
        assert time.monotonic() < deadline, f"uWSGI not up:\n{server.log()[-3000:]}"
        if server.log().count("WSGI app 0 (mountpoint='') ready") >= processes:
            try:
                if server.get("/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
        time.sleep(0.2)


def json_lines(text):
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_smoke_pages_static_files_and_json_logs(start_server):
    server = start_server()
    status, _, home = server.get("/", headers={"X-Request-ID": "smoke-home-1"})
    assert status == 200 and "<html" in home
    product = re.search(r'href="(/product/[^"]+)"', home).group(1)
    assert server.get(product)[0] == 200
    for asset in re.findall(r'(?:href|src)="(/(?:static|bootstrap/static)/[^"]+)"', home):
        status, headers, _ = server.get(asset.replace("&amp;", "&"))
        assert status == 200, asset
        if "?v=" in asset:
            assert "max-age=31536000" in headers["Cache-Control"], asset
    status, headers, body = server.get("/readyz")
    assert status == 200, body
    assert headers["Content-Security-Policy"] and headers["X-Request-ID"]
    assert server.get("/no-such-page")[0] == 404

    server.wait_for_log(r'"request_id": "smoke-home-1"')
    (line,) = [e for e in json_lines(server.log()) if e.get("request_id") == "smoke-home-1"]
    assert line["logger"] == "shop.request"
    assert line["status"] == 200 and line["method"] == "GET" and line["path"] == "/"
    assert line["duration_ms"] >= 0 and "user_id" in line
    # uWSGI's own per-request lines are off: the app's JSON line is the request log
    assert "GET / =>" not in server.log()

    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(timeout=60) == 0


def scrape(server):
    status, _, body = server.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 200
    from prometheus_client.parser import text_string_to_metric_families

    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


def test_metrics_add_up_across_two_workers(start_server):
    server = start_server(processes=2, threads=1)
    assert server.get("/metrics")[0] == 403  # not public

    held = {}
    holder = threading.Thread(target=lambda: held.update(r=server.get("/__ops_test/hold/m")))
    holder.start()
    first = int(server.wait_for_file("m.entered"))
    # the holding worker has one thread and it is busy: the other worker answers these
    pids = {int(server.get("/__ops_test/pid")[2]) for _ in range(4)}
    server.release("m")
    holder.join(timeout=60)
    assert held["r"][0] == 200
    assert len(pids) == 1 and first not in pids

    samples = scrape(server)
    def count(endpoint):
        return samples.get(("shop_http_requests_total",
                            (("endpoint", endpoint), ("method", "GET"), ("status", "200"))), 0)
    assert count("pid") == 4
    assert count("hold") == 1
    files = os.listdir(Path(server.folder) / "prometheus")
    assert {f"counter_{first}.db", f"counter_{pids.pop()}.db"} <= set(files)


def test_sigterm_lets_a_request_in_flight_finish(start_server):
    server = start_server(processes=1, threads=2)
    held = {}
    holder = threading.Thread(target=lambda: held.update(r=server.get("/__ops_test/hold/t")))
    holder.start()
    server.wait_for_file("t.entered")
    server.proc.send_signal(signal.SIGTERM)
    server.wait_for_log("graceful shutdown triggered")
    assert server.proc.poll() is None  # still waiting for the request
    server.release("t")
    holder.join(timeout=60)
    assert held["r"][0] == 200 and held["r"][2].startswith("released")
    assert server.proc.wait(timeout=60) == 0


def test_mules_run_the_background_commands(start_server):
    server = start_server(processes=1, threads=1, SHOP_MULES="1",
                          SHOP_ORDER_EXPIRY_INTERVAL="3600", SHOP_MAIL_SEND_INTERVAL="3600")
    server.wait_for_log(r"mule started: mail send")
    server.wait_for_log(r"mule started: orders expire")
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(timeout=60) == 0
    # the mules were asked to stop (SIGHUP from uWSGI) and left their loops cleanly
    assert "mule stopped: mail send" in server.log()
    assert "mule stopped: orders expire" in server.log()


class TcpProxy:
    """A TCP relay to PostgreSQL that the test can cut and restore: "the database is down"."""

    def __init__(self, target_port, port):
        self.target_port, self.port = target_port, port
        self.listener = None
        self.connections = []

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(50)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self):
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the relay thread
        except OSError:
            pass
        self.listener.close()
        for conn in self.connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()
        self.connections = []

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.mark.postgres
def test_readyz_follows_the_database_down_and_back(start_server, database):
    from sqlalchemy.engine import make_url

    url = make_url(database)
    proxy = TcpProxy(url.port or 5432, free_port())
    proxy.start()
    try:
        server = start_server(processes=1, threads=1,
                              database_url=url.set(port=proxy.port).render_as_string(False))
        assert server.get("/readyz")[0] == 200
        proxy.stop()
        status, _, body = server.get("/readyz")
        assert status == 503
        assert json.loads(body)["checks"]["database"] == "unreachable"
        assert server.get("/healthz")[0] == 200  # alive, just not ready
        proxy.start()
        status, _, body = server.get("/readyz")
        assert status == 200, body
    finally:
        proxy.stop()
