"""Migration 0017 (issue 18.4): addresses saved before keep their street text untouched and get an
empty house and flat; downgrading folds a house and flat back into the street, so none is lost.

Runs on a database of its own, built by the migrations (tests.orders.test_event_kind_migration's
fixture: a file on SQLite, a throwaway database on PostgreSQL)."""

from datetime import datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from shop.extensions import db
from tests.orders.test_event_kind_migration import own_app as own_app  # noqa: F401 - fixture

BEFORE, AFTER = "0016_image_colour", "0017_address_parts"
NOW = datetime(2026, 3, 1, 12, 0)
USER = sa.table("user", *(sa.column(c) for c in ("id", "email", "active", "fs_uniquifier",
                                                  "locale", "create_datetime",
                                                  "update_datetime")))
ADDRESS = sa.table("address", *(sa.column(c) for c in (
    "id", "user_id", "recipient", "country", "city", "postcode", "street", "is_default",
    "created_at", "updated_at",
)))
PARTS = sa.table("address", *(sa.column(c) for c in ("id", "street", "house", "flat")))


def _columns():
    return {c["name"] for c in sa.inspect(db.engine).get_columns("address")}


def test_old_addresses_keep_their_street_and_get_it_back_with_the_parts(own_app):
    with own_app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(USER.insert().values(
                id=1, email="a@example.com", active=True, fs_uniquifier="u1", locale="ru",
                create_datetime=NOW, update_datetime=NOW,
            ))
            conn.execute(ADDRESS.insert().values(
                id=1, user_id=1, recipient="Анна", country="Россия", city="Москва",
                postcode="101000", street="ул. Мясницкая, д. 10, кв. 5", is_default=True,
                created_at=NOW, updated_at=NOW,
            ))
        upgrade(revision=AFTER)
        assert {"house", "flat"} <= _columns()
        with db.engine.begin() as conn:
            assert conn.execute(sa.select(PARTS)).all() == [
                (1, "ул. Мясницкая, д. 10, кв. 5", None, None)
            ]
            conn.execute(ADDRESS.insert().values(
                id=2, user_id=1, recipient="Анна", country="Россия", city="Тула",
                postcode="300000", street="ул. Ленина", is_default=False,
                created_at=NOW, updated_at=NOW,
            ))
            conn.execute(PARTS.update().where(PARTS.c.id == 2).values(house="5к2", flat="12"))

        downgrade(revision=BEFORE)
        assert not {"house", "flat"} & _columns()
        with db.engine.connect() as conn:
            streets = conn.execute(
                sa.select(ADDRESS.c.street).order_by(ADDRESS.c.id)
            ).scalars().all()
        assert streets == ["ул. Мясницкая, д. 10, кв. 5", "ул. Ленина, д. 5к2, кв. 12"]
        upgrade(revision="heads")
