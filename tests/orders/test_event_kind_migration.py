"""Migration 0009 (issue 15): events stored with the old free-text notes get their kind and data,
once; downgrading writes the old notes back, and upgrading again gives the same result.

Runs against a database of its own (a file on SQLite, a throwaway database on PostgreSQL), built
up to 0008 by the migrations, with rows as the previous code wrote them.
"""

import secrets
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from shop import create_app
from shop.extensions import db
from shop.orders.models import OrderEvent
from tests.conftest import ON_POSTGRES, TEST_DB_URL

BEFORE, AFTER = "0008_search_shelves", "0009_order_event_kind"
LATE = "LATE PAYMENT: money arrived after the order was cancelled; refund it"
PAYMENT = {"provider": "card", "amount": "1280.00", "currency": "RUB", "reference": "abc123"}

# (from, to, note as the old code wrote it) -> (kind, data, note kept)
ROWS = [
    ((None, "new", "placed"), ("placed", None, None)),
    (("new", "paid", "paid: card"), ("paid", {"provider": "card"}, None)),
    (("paid", "cancelled", "cancelled by the customer"), ("cancelled_by_customer", None, None)),
    (("new", "cancelled", "unpaid in time: expired"), ("expired", None, None)),
    (("cancelled", "cancelled", LATE + " (1280.00 RUB, card abc123)"),
     ("late_payment", PAYMENT, None)),
    (("cancelled", "cancelled", "late payment refunded (1280.00 RUB, card abc123)"),
     ("late_payment_refunded", PAYMENT, None)),
    (("cancelled", "cancelled", LATE + " (odd details)"),
     ("late_payment", {"details": "(odd details)"}, None)),
    (("cancelled", "cancelled", LATE), ("late_payment", None, None)),
    (("processing", "shipped", "СДЭК 123"), ("status_changed", None, "СДЭК 123")),
    (("new", "processing", None), ("status_changed", None, None)),
    (("shipped", "shipped", "Позвонили клиенту"), ("note", None, "Позвонили клиенту")),
]


@pytest.fixture()
def own_app(tmp_path, monkeypatch):
    if ON_POSTGRES:
        name = f"shop_migration_{secrets.token_hex(4)}"
        admin = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = TEST_DB_URL.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("SHOP_DATABASE_URL", url)
    app = create_app("testing")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if ON_POSTGRES:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


ORDER = sa.table(
    "order", *(sa.column(c) for c in (
        "id", "number", "email", "phone", "customer_name", "delivery_method_name",
        "delivery_price", "payment_method", "subtotal", "total", "currency", "status",
        "locale", "access_token", "created_at", "updated_at",
    ))
)
OLD_EVENT = sa.table(
    "order_event",
    *(sa.column(c) for c in ("id", "order_id", "from_status", "to_status", "note", "created_at")),
)
NEW_EVENT = sa.table(
    "order_event",
    *(sa.column(c) for c in ("id", "from_status", "to_status", "note", "kind")),
    sa.column("data", sa.JSON(none_as_null=True)),
)


def _old_rows():
    now = datetime(2026, 3, 1, 12, 0)
    with db.engine.begin() as conn:
        conn.execute(ORDER.insert().values(
            id=1, number="260301-00000001", email="a@example.com", phone="+79990000000",
            customer_name="Иван", delivery_method_name="Курьер", delivery_price="0.00",
            payment_method="card", subtotal="1280.00", total="1280.00",
            currency="RUB", status="cancelled", locale="ru", access_token="t" * 32,
            created_at=now, updated_at=now,
        ))
        conn.execute(OLD_EVENT.insert(), [
            {"id": i, "order_id": 1, "from_status": old[0], "to_status": old[1],
             "note": old[2], "created_at": now}
            for i, (old, _new) in enumerate(ROWS, start=1)
        ])


def _converted():
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(NEW_EVENT).order_by(NEW_EVENT.c.id)).all()
    return [(row.kind, row.data, row.note) for row in rows]


def _notes():
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(OLD_EVENT).order_by(OLD_EVENT.c.id)).all()
    return [(row.from_status, row.to_status, row.note) for row in rows]


def test_old_notes_become_kinds_and_data_and_come_back_on_downgrade(own_app):
    with own_app.app_context():
        upgrade(revision=BEFORE)
        _old_rows()

        upgrade(revision=AFTER)
        assert _converted() == [new for _old, new in ROWS]

        downgrade(revision=BEFORE)
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("order_event")}
        assert "kind" not in columns and "data" not in columns
        # the previous code reads what it wrote; the first event had its note already
        assert _notes() == [old for old, _new in ROWS]

        upgrade(revision="heads")
        assert _converted() == [new for _old, new in ROWS]


def test_converted_rows_read_in_both_languages(own_app):
    with own_app.app_context():
        upgrade(revision=BEFORE)
        _old_rows()
        upgrade(revision="heads")
        events = db.session.scalars(sa.select(OrderEvent).order_by(OrderEvent.id)).all()
        with own_app.test_request_context():
            with force_locale("en"):
                labels = [e.note_label for e in events]
            with force_locale("ru"):
                russian = [e.note_label for e in events]
        assert labels[:6] == [
            "Order placed",
            "Paid: Bank card",
            "Cancelled by the customer",
            "Not paid by card in time: cancelled automatically",
            "Late payment: the money arrived when the order was already \u201cCancelled\u201d."
            " Refund it. (1280.00 RUB, card abc123)",
            "The late payment was refunded. (1280.00 RUB, card abc123)",
        ]
        assert labels[6].endswith("Refund it. (odd details)")
        assert labels[8:] == ["СДЭК 123", "", "Позвонили клиенту"]
        assert russian[0] == "Заказ оформлен" and russian[1] == "Оплачен: Банковская карта"
        assert russian[4].startswith("Поздняя оплата") and russian[4].endswith("card abc123)")
        assert russian[5].startswith("Поздняя оплата возвращена.")
