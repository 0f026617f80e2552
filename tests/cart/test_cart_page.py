"""The cart page: its delivery estimate follows a change of delivery method at once (the active
methods are kept between requests until such a change is committed), and the page costs
the same few queries whatever the number of lines."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import event

from shop.extensions import db as _db
from tests.checkout.helpers import stocked
from tests.db_helpers import autocommit_of_statements
from tests.factories import DeliveryMethodFactory


def _add(client, variant):
    body = client.get(f"/product/{variant.product.slug}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', body).group(1)
    client.post("/cart/add", data={"csrf_token": csrf, "variant_id": variant.id, "quantity": 1})


def test_a_delivery_method_change_shows_on_the_cart_page_at_once(client, db, tmp_path, app):
    app.config["CATALOGUE_VERSION_FILE"] = str(tmp_path / "catalogue.version")
    method = DeliveryMethodFactory(name_ru="Курьер", price=Decimal("390.00"), free_from=None)
    _add(client, stocked(price=Decimal("1000.00")))
    assert "390,00" in client.get("/cart").get_data(as_text=True)
    method.price = Decimal("455.00")
    method.name_ru = "Курьер до двери"
    method.free_from = Decimal("3000.00")
    db.session.commit()
    body = client.get("/cart").get_data(as_text=True)
    assert "455,00" in body and "390,00" not in body
    assert "Курьер до двери" in body  # "... is free from 3 000,00 ₽"
    method.active = False
    db.session.commit()
    assert "Курьер до двери" not in client.get("/cart").get_data(as_text=True)


def test_the_cart_page_costs_the_same_queries_for_one_line_or_many(client, db, app):
    DeliveryMethodFactory()
    _add(client, stocked())
    client.get("/cart")

    def count():
        seen = []
        listener = lambda *_a: seen.append(1)  # noqa: E731
        event.listen(_db.engine, "after_cursor_execute", listener)
        try:
            assert client.get("/cart").status_code == 200
        finally:
            event.remove(_db.engine, "after_cursor_execute", listener)
        return len(seen)

    one = count()
    for _ in range(5):
        _add(client, stocked())
    client.get("/cart")  # new products changed the catalogue: the kept methods are read again
    assert count() == one <= 3


@pytest.mark.postgres
def test_a_guests_cart_page_reads_outside_a_transaction_and_leaves_none_behind(client, db):
    """One statement reads the whole cart, so it runs in autocommit (no BEGIN and ROLLBACK
    round trips); the pooled connection goes back to transactions afterwards."""
    DeliveryMethodFactory()
    _add(client, stocked())
    client.get("/cart")
    _db.session.close()  # the test's own reads share the request's session: end them first
    with autocommit_of_statements(_db.engine) as modes:
        assert client.get("/cart").status_code == 200
    assert modes == [True]
    with _db.engine.connect() as conn:
        assert conn.connection.dbapi_connection.autocommit is False
