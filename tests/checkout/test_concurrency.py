"""Twenty buyers race for the last three units through real HTTP against uWSGI on PostgreSQL.

Each buyer is its own browser session (cookie jar): it fills a cart, goes through the checkout
steps, then all of them press "Place order" at the same moment. Exactly three orders may exist
afterwards, the stock must be 0 (never negative), every refused buyer is told so (no 500), and
the server log must show no deadlock.
"""

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.checkout.helpers import ADDRESS_PARTS
from tests.uwsgi_server import serve_shop, shop_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BUYERS = 20
UNITS = 3


@pytest.fixture(scope="module")
def uwsgi_server(tmp_path_factory):
    with (
        shop_database(tmp_path_factory, "race") as database,
        serve_shop(
            tmp_path_factory.mktemp("race-instance"),
            database,
            processes=4,
            threads=4,
            env_overrides={"SHOP_RATELIMIT_ENABLED": "false"},
        ) as server,
    ):
        yield server


class Buyer:
    def __init__(self, base):
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, path, exc.read().decode(errors="replace")

    @staticmethod
    def field(body, name):
        match = re.search(rf'name="{name}"(?: type="hidden")? value="([^"]*)"', body)
        assert match, f"no {name} on the page"
        return match.group(1)


def test_twenty_buyers_three_units(uwsgi_server):
    engine = create_engine(uwsgi_server.database.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        variant_id, slug = conn.execute(
            text(
                "SELECT v.id, p.slug FROM product_variant v JOIN product p ON p.id = v.product_id "
                "WHERE v.active AND p.active ORDER BY v.id LIMIT 1"
            )
        ).one()
        conn.execute(
            text("UPDATE product_variant SET stock = :n WHERE id = :id"),
            {"n": UNITS, "id": variant_id},
        )
        method_id = conn.execute(
            text("SELECT id FROM delivery_method WHERE active ORDER BY position LIMIT 1")
        ).scalar_one()

    buyers = [Buyer(uwsgi_server.url) for _ in range(BUYERS)]
    forms = []
    for n, buyer in enumerate(buyers):
        _, _, body = buyer.get(f"/product/{slug}")
        csrf = buyer.field(body, "csrf_token")
        status, url, _ = buyer.post(
            "/cart/add", {"csrf_token": csrf, "variant_id": variant_id, "quantity": 1}
        )
        assert status == 200 and url.endswith("/cart"), (status, url)
        status, url, _ = buyer.post(
            "/checkout",
            {
                "csrf_token": csrf,
                "name": f"Buyer {n}",
                "email": f"buyer{n}@example.com",
                "phone": "+7 900 000-00-00",
                "delivery_method": method_id,
                "payment_method": "cash",
                **ADDRESS_PARTS,
                "accept_offer": "y",
                "accept_privacy": "y",
            },
        )
        assert url.endswith("/checkout/review"), (status, url)
        _, _, review = buyer.get("/checkout/review")
        forms.append(
            {
                "csrf_token": csrf,
                "token": buyer.field(review, "token"),
                "fingerprint": buyer.field(review, "fingerprint"),
            }
        )

    start = threading.Barrier(BUYERS)
    results = [None] * BUYERS

    def buy(i):
        start.wait()
        results[i] = buyers[i].post("/checkout/place", forms[i])

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = [r[0] for r in results]
    assert statuses == [200] * BUYERS, statuses  # redirects followed; no 500
    placed = [r for r in results if "/orders/" in r[1]]
    refused = [r for r in results if r[1].endswith("/cart")]
    assert len(placed) == UNITS and len(refused) == BUYERS - UNITS
    with engine.begin() as conn:
        assert conn.execute(text('SELECT count(*) FROM "order"')).scalar_one() == UNITS
        assert (
            conn.execute(
                text("SELECT stock FROM product_variant WHERE id = :id"), {"id": variant_id}
            ).scalar_one()
            == 0
        )
        assert (
            conn.execute(
                text(
                    "SELECT coalesce(sum(delta), 0) FROM stock_movement "
                    "WHERE variant_id = :id AND reason = 'order'"
                ),
                {"id": variant_id},
            ).scalar_one()
            == -UNITS
        )
        assert conn.execute(text("SELECT count(*) FROM cart_line")).scalar_one() == BUYERS - UNITS
    engine.dispose()
    log = Path(uwsgi_server.log_path).read_text()
    assert "deadlock" not in log.lower()
    assert "Traceback" not in log
