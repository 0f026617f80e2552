"""`manage.py backup` and `restore`: a round trip gives back exactly the rows that were saved.

Runs against a database of its own (a file on SQLite, a throwaway database on PostgreSQL), so
restoring never touches the session's test database.
"""

import os
import secrets

import pytest
from sqlalchemy import create_engine, func, select, text

from shop import create_app
from shop.extensions import db
from shop.ops.backup import libpq_url
from tests.conftest import ON_POSTGRES, TEST_DB_URL
from tests.factories import ProductFactory, UserFactory, VariantFactory


@pytest.fixture()
def own_app(tmp_path, monkeypatch):
    if ON_POSTGRES:
        name = f"shop_backup_{secrets.token_hex(4)}"
        admin = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = TEST_DB_URL.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("SHOP_DATABASE_URL", url)
    monkeypatch.setenv("SHOP_BACKUP_DIR", str(tmp_path / "backups"))
    app = create_app("testing")
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="heads")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if ON_POSTGRES:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def row_counts():
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_backup_and_restore_round_trip(own_app, tmp_path):
    runner = own_app.test_cli_runner()
    with own_app.app_context():
        UserFactory.create_batch(3)
        for _ in range(4):
            VariantFactory(product=ProductFactory())
        saved = row_counts()
        assert saved["user"] == 3 and saved["product_variant"] == 4
        db.session.remove()

    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output
    (path,) = [os.path.join(tmp_path / "backups", f) for f in os.listdir(tmp_path / "backups")]
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"

    with own_app.app_context():
        # life goes on: rows added and removed after the backup
        UserFactory.create_batch(2)
        from shop.catalog.models import ProductVariant

        db.session.execute(ProductVariant.__table__.delete())
        db.session.commit()
        assert row_counts() != saved
        db.session.remove()

    result = runner.invoke(args=["restore", path, "--yes"])
    assert result.exit_code == 0, result.output
    with own_app.app_context():
        assert row_counts() == saved
        # and the restored database is still at the migration heads
        assert own_app.test_client().get("/readyz").status_code == 200


def test_restore_asks_first_and_refuses_bad_files(own_app, tmp_path):
    runner = own_app.test_cli_runner()
    with own_app.app_context():
        UserFactory()
        db.session.remove()
    backup = tmp_path / "b.bin"
    assert runner.invoke(args=["backup", "-o", str(backup)]).exit_code == 0

    declined = runner.invoke(args=["restore", str(backup)], input="n\n")
    assert declined.exit_code != 0
    assert "Aborted" in declined.output

    missing = runner.invoke(args=["restore", str(tmp_path / "nope.dump"), "--yes"])
    assert missing.exit_code != 0
    assert "No backup file at" in missing.output

    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"this is not a backup at all")
    bad = runner.invoke(args=["restore", str(junk), "--yes"])
    assert bad.exit_code != 0
    assert "is not" in bad.output and "backup" in bad.output
    with own_app.app_context():
        assert row_counts()["user"] == 1  # nothing changed


def test_libpq_url_drops_the_driver_and_finds_the_schema():
    url, schema = libpq_url(
        "postgresql+psycopg://u:p@h:5433/shop?options=-csearch_path%3Dtest_ab12"
    )
    assert url == "postgresql://u:p@h:5433/shop?options=-csearch_path%3Dtest_ab12"
    assert schema == "test_ab12"
    assert libpq_url("postgresql+psycopg://u@h/shop") == ("postgresql://u@h/shop", None)
