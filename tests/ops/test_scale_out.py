"""Two shop nodes behind nginx on one PostgreSQL and one Redis, all on this machine (issue 16.6).

The recipe of docs/deploy.md ("Several app nodes"), run for real: two uWSGI nodes, each with
its own instance folder, socket and mules (outbox sender, order expiry), the same secrets and
media folder, one database and one Redis; the shipped nginx site with both nodes in its
upstream. What one node commits, the other shows at once; a shopper's session, the rate limits
and the background work are the cluster's, not a node's.
"""

import csv
import http.cookiejar
import io
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ON_POSTGRES
from tests.ops.test_deploy import NGINX
from tests.ops.test_nginx_site import Browser, csrf_of, nginx_site, running_nginx
from tests.uwsgi_server import ROOT, free_port, serve_shop, shop_database

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def _redis_up() -> bool:
    import socket

    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(not ON_POSTGRES, reason="nodes share PostgreSQL (SHOP_TEST_DATABASE_URL)"),
    pytest.mark.skipif(NGINX is None, reason="nginx is missing: `make test` installs it"),
    pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379"),
]

ADMIN = ("admin@example.com", "scale-out-admin-password-1")
PER_ACCOUNT_LIMIT = 4  # wrong passwords a minute for one account, counted by the cluster


class Node:
    """One node's plain HTTP listener, with a cookie jar that may be shared with another node
    (the same browser, sent to either node by the load balancer)."""

    def __init__(self, server, jar):
        self.server = server
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
        )

    def request(self, path, fields=None):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.server.url + path, data=data)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            body = exc.read().decode(errors="replace")
            exc.close()
            return exc.code, body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _upstream_of(conf_folder, sockets):
    """The site's upstream with both nodes' sockets in it, as docs/deploy.md says to list them."""
    site = conf_folder / "lavka.conf"
    body = site.read_text()
    servers = "\n".join(f"    server unix:{path} max_fails=3 fail_timeout=10s;" for path in sockets)
    body, count = re.subn(r"upstream lavka_app \{.*?\}", "upstream lavka_app {\n" + servers
                          + "\n}", body, count=1, flags=re.S)
    assert count == 1
    site.write_text(body)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    media = folder / "media"  # shared storage, mounted on every node
    media.mkdir()
    sockets = [folder / "a.sock", folder / "b.sock"]
    common = {
        "SHOP_SECRET_KEY": secrets.token_urlsafe(48),
        "SHOP_REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{secrets.choice(range(8, 16))}",
        "SHOP_MEDIA_ROOT": str(media),
        "SHOP_MULES": "1",
        "SHOP_MAIL_SEND_INTERVAL": "1",
        "SHOP_ORDER_EXPIRY_INTERVAL": "1",
        "SHOP_STAFF_TWO_FACTOR_REQUIRED": "false",
        "SHOP_PROXY_COUNT": "1",
        "SHOP_ACCOUNT_RATE_LIMIT_PER_ACCOUNT": f"{PER_ACCOUNT_LIMIT} per minute",
        "SHOP_ACCOUNT_RATE_LIMIT_PER_IP": "1000 per minute",
    }
    https_port, http_port = free_port(), free_port()
    with shop_database(tmp_path_factory, "cluster") as database_url, ExitStack() as stack:
        nodes = []
        for index, name in enumerate("ab"):
            env = {**common, "SHOP_UWSGI_SOCKET": str(sockets[index])}
            nodes.append(stack.enter_context(serve_shop(
                folder / name, database_url, processes=1, env_overrides=env,
                seed=index == 0,
                setup=[("create-admin", ADMIN[0], "--password", ADMIN[1])] if index == 0 else (),
            )))
        conf = nginx_site(folder, https_port, http_port, sockets[0])
        _upstream_of(folder, sockets)
        stack.enter_context(running_nginx(folder, conf, https_port))
        yield {"a": nodes[0], "b": nodes[1], "https_port": https_port,
               "database": database_url}


def _sql(cluster, statement, **params):
    engine = create_engine(cluster["database"])
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return result.all() if result.returns_rows else None
    finally:
        engine.dispose()


def _wait(what, check, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, f"timed out waiting for {what}"
            return value
        time.sleep(0.3)


def _logged_in_admin(cluster):
    """A browser (cookie jar) whose staff member logged in on node A, and both nodes for it."""
    jar = http.cookiejar.CookieJar()
    a, b = Node(cluster["a"], jar), Node(cluster["b"], jar)
    _, page = a.request("/account/login")
    status, _ = a.request("/account/login", {"email": ADMIN[0], "password": ADMIN[1],
                                             "csrf_token": csrf_of(page)})
    assert status in (302, 303), status
    return a, b


def _price_on(node, slug):
    status, page = node.request(f"/product/{slug}")
    assert status == 200, (slug, status)
    return page


def test_a_shopper_logged_in_on_one_node_stays_logged_in_on_the_other(cluster):
    a, b = _logged_in_admin(cluster)
    status, page = b.request("/admin/")
    assert status == 200, status
    assert ADMIN[0] in page or "logout" in page.lower()
    # a stranger's browser is still a stranger on both
    stranger = Node(cluster["b"], http.cookiejar.CookieJar())
    assert stranger.request("/admin/")[0] in (302, 303, 403)


def test_a_price_change_through_one_node_shows_on_the_other_at_once(cluster):
    a, b = _logged_in_admin(cluster)
    slug, sku, price = _sql(cluster, """
        SELECT p.slug, v.sku, v.price FROM product p JOIN product_variant v ON v.product_id = p.id
        WHERE p.active AND v.active ORDER BY p.id LIMIT 1""")[0]
    for node in (a, b):  # both have read (and may keep) the page as it was
        _price_on(node, slug)
    status, export = a.request("/admin/csv/export.csv")
    assert status == 200
    new_price = (Decimal(price) + Decimal("111.00")).quantize(Decimal("0.01"))
    rows = list(csv.DictReader(io.StringIO(export.lstrip("\ufeff"))))
    row = next(row for row in rows if row["sku"] == sku)
    row["price"] = str(new_price)
    changed = io.StringIO()
    writer = csv.DictWriter(changed, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow(row)
    _, page = a.request("/admin/csv/")
    status, _ = a.request("/admin/csv/apply", {
        "csv_text": changed.getvalue(), "csrf_token": csrf_of(page),
    })
    assert status in (302, 303), status
    assert _sql(cluster, "SELECT price FROM product_variant WHERE sku = :sku", sku=sku)[0][0] \
        == new_price
    # "1 390,00 ₽": Russian, the storefront's default language
    shown = f"{new_price:,.2f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0₽"
    assert shown in _price_on(b, slug), f"node B still shows the old price of {slug}"
    # through the load balancer too, whichever node answers (a reader with a cookie, whom
    # nginx's micro-cache of cookie-less pages never answers)
    for _ in range(4):
        browser = Browser(cluster["https_port"])
        browser.cookies["seen"] = "1"
        response, body = browser.get(f"/product/{slug}")
        assert response.status == 200
        assert shown in body.decode()


def test_a_stock_change_through_one_node_shows_on_the_other_at_once(cluster):
    a, b = _logged_in_admin(cluster)
    variant_id, slug, stock = _sql(cluster, """
        SELECT v.id, p.slug, v.stock FROM product p JOIN product_variant v ON v.product_id = p.id
        WHERE p.active AND v.active AND v.stock > 0
          AND (SELECT count(*) FROM product_variant w WHERE w.product_id = p.id) = 1
        ORDER BY p.id DESC LIMIT 1""")[0]
    out_of_stock = "Этого товара пока нет в наличии."
    assert out_of_stock not in _price_on(b, slug)
    _, form = a.request(f"/admin/stock-adjust/{variant_id}")
    status, _ = a.request(f"/admin/stock-adjust/{variant_id}", {
        "delta": str(-stock), "reason": "adjust", "note": "scale-out test",
        "csrf_token": csrf_of(form),
    })
    assert status in (302, 303), status
    left = _sql(cluster, "SELECT stock FROM product_variant WHERE id = :id", id=variant_id)
    assert left[0][0] == 0
    assert out_of_stock in _price_on(b, slug), f"node B still offers {slug}, now out of stock"


def test_rate_limits_are_counted_by_the_cluster(cluster):
    victim = f"victim-{secrets.token_hex(3)}@example.com"
    statuses = []
    for attempt in range(PER_ACCOUNT_LIMIT + 1):
        node = Node(cluster["ab"[attempt % 2]], http.cookiejar.CookieJar())
        _, page = node.request("/account/login")
        status, _ = node.request("/account/login", {"email": victim, "password": "wrong-one-1",
                                                    "csrf_token": csrf_of(page)})
        statuses.append(status)
    assert 429 not in statuses[:PER_ACCOUNT_LIMIT], statuses
    assert statuses[PER_ACCOUNT_LIMIT] == 429, statuses


def test_both_nodes_mail_senders_send_each_message_once(cluster):
    tag = secrets.token_hex(4)
    now = datetime.now(UTC).replace(tzinfo=None)
    for number in range(12):
        _sql(cluster, "INSERT INTO outbox_message (recipient, subject, body_text, locale, kind,"
                      " status, attempts, next_attempt_at, created_at) VALUES (:r, :s, 'Hi',"
                      " 'ru', 'generic', 'pending', 0, :now, :now)",
             r=f"shopper{number}@example.com", s=f"Cluster {tag} #{number}", now=now)
    _wait("the outbox to be sent", lambda: _sql(
        cluster, "SELECT count(*) FROM outbox_message WHERE subject LIKE :s AND status = 'sent'",
        s=f"Cluster {tag} #%")[0][0] == 12)
    rows = _sql(cluster, "SELECT attempts FROM outbox_message WHERE subject LIKE :s",
                s=f"Cluster {tag} #%")
    assert {attempts for (attempts,) in rows} == {1}
    logs = "".join(node.log_path.read_text(errors="replace")
                   for node in (cluster["a"], cluster["b"]))
    for number in range(12):
        assert len(re.findall(rf"Cluster {tag} #{number}\b", logs)) == 1, number


def test_both_nodes_order_expiry_cancels_each_order_once(cluster):
    numbers = []
    for _ in range(6):
        result = subprocess.run(
            [sys.executable, "-m", "tests.e2e.admin_helpers", "order", "new"],
            cwd=ROOT, env=cluster["a"].env, check=True, capture_output=True, text=True,
        )
        numbers.append(result.stdout.strip().splitlines()[-1])
    stock_before = _sql(cluster, "SELECT sum(stock) FROM product_variant")[0][0]
    taken = _sql(cluster, """SELECT coalesce(sum(l.quantity), 0) FROM order_line l
                             JOIN "order" o ON o.id = l.order_id WHERE o.number = ANY(:n)""",
                 n=numbers)[0][0]
    past = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=5)
    _sql(cluster, """UPDATE "order" SET payment_method = 'yookassa_card', expires_at = :past
                     WHERE number = ANY(:n)""", past=past, n=numbers)
    _wait("the orders to expire", lambda: _sql(
        cluster, """SELECT count(*) FROM "order" WHERE number = ANY(:n) AND status = 'cancelled'""",
        n=numbers)[0][0] == len(numbers))
    events = _sql(cluster, """SELECT o.number, count(e.id) FROM "order" o
                              JOIN order_event e ON e.order_id = o.id AND e.kind = 'expired'
                              WHERE o.number = ANY(:n) GROUP BY o.number""", n=numbers)
    assert sorted(events) == sorted((number, 1) for number in numbers)
    assert _sql(cluster, "SELECT sum(stock) FROM product_variant")[0][0] == stock_before + taken
