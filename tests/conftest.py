"""Shared fixtures: one app per test session, a clean database for every test.

SQLite (a temporary file) by default; PostgreSQL when SHOP_TEST_DATABASE_URL is set, in a fresh
schema made for this run and dropped after it. The schema is built by the Alembic migrations, so
every run also proves the migrations.
"""

import os
import secrets
import tempfile

import pytest
from sqlalchemy import create_engine, text

from shop import create_app, normalise_database_url
from shop.extensions import db as _db

TEST_DB_URL = normalise_database_url(os.environ.get("SHOP_TEST_DATABASE_URL"))
ON_POSTGRES = bool(TEST_DB_URL and TEST_DB_URL.startswith("postgresql"))


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set SHOP_TEST_DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords and not ON_POSTGRES:
            item.add_marker(skip_pg)


@pytest.fixture(scope="session")
def workdir():
    with tempfile.TemporaryDirectory(prefix="shop-tests-") as path:
        yield path


@pytest.fixture(scope="session")
def database_url(workdir):
    if not ON_POSTGRES:
        yield f"sqlite:///{os.path.join(workdir, 'test.db')}"
        return
    schema = f"test_{secrets.token_hex(4)}"
    admin = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in TEST_DB_URL else "?"
    yield f"{TEST_DB_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, workdir):
    os.environ["SHOP_DATABASE_URL"] = database_url
    os.environ["SHOP_MEDIA_ROOT"] = os.path.join(workdir, "media")
    # The catalogue version stamp of this run (other runs bump the instance folder's one).
    os.environ["SHOP_CATALOGUE_VERSION_FILE"] = os.path.join(workdir, "catalogue.version")
    application = create_app("testing")
    with application.app_context():
        from flask_migrate import upgrade

        upgrade(revision="heads")
    yield application
    with application.app_context():
        _db.engine.dispose()


@pytest.fixture()
def db(app):
    """The database, emptied after the test (services commit, so no transaction rollback trick)."""
    with app.app_context():
        yield _db
        _db.session.remove()
        _truncate_all()
        # The tables were emptied behind the ORM's back: drop cached catalogue data too.
        from shop.core.cache import bump_catalogue_version

        bump_catalogue_version()


def _truncate_all():
    tables = [t for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            # the category tree refers to itself: check keys at commit, not per statement
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def outbox(app):
    """Emails handed to the mail backend during the test (Flask-Mailman's locmem backend)."""
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    yield mailman.outbox
    mailman.outbox = []


@pytest.fixture()
def csrf_token(client):
    """Fetch a page and return the CSRF token bound to this client's session."""

    from tests.accounts.helpers import csrf

    def fetch(path="/account/login"):
        return csrf(client, path)

    return fetch


@pytest.fixture()
def sanitised(monkeypatch):
    """Every text handed to nh3 to clean during the test, in order (descriptions are cleaned
    exactly once however they are saved)."""
    import nh3

    texts = []
    real = nh3.clean

    def counting(text, *args, **kwargs):
        texts.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(nh3, "clean", counting)
    return texts
