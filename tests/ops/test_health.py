"""/healthz and /readyz: JSON, 200 when ready (status "degraded" when only Redis is missing),
503 naming the failing check when not."""

import os
import subprocess
import sys
from pathlib import Path

from shop.ops import health
from tests.ops.helpers import dispose, env_app

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    assert response.json == {"status": "ok"}


def test_readyz_is_ok_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "redis": "skipped"},
    }


def test_readyz_is_503_when_migrations_are_not_at_head(app, client, monkeypatch):
    monkeypatch.setitem(app.extensions, "shop_migration_heads", {"9999_not_applied"})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["migrations"] == "not at head"


def test_readyz_is_503_when_the_database_is_unreachable(monkeypatch):
    # Nothing listens on port 9 (discard): the connection is refused at once.
    app = env_app(monkeypatch, SHOP_DATABASE_URL="postgresql://shop@127.0.0.1:9/shop")
    try:
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.json["checks"]["database"] == "unreachable"
        assert response.json["checks"]["migrations"] == "skipped"
        # liveness does not depend on the database
        assert app.test_client().get("/healthz").status_code == 200
    finally:
        dispose(app)


def test_readyz_checks_redis_when_configured(app, client, monkeypatch):
    # Redis is reported, but the shop runs without it (tests/ops/test_redis_outage.py)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:9/0")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded"
    assert response.json["checks"]["redis"] == "unreachable"


def test_readyz_with_a_live_redis(app, client, monkeypatch):
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        import pytest

        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:6379/15")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["redis"] == "ok"


def test_migration_heads_come_from_the_scripts(app):
    with app.test_request_context():
        app.extensions.pop("shop_migration_heads", None)
        heads = health.migration_heads()
    assert heads and all(isinstance(head, str) for head in heads)
    # the same heads as Alembic's own reading of the scripts
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert heads == set(ScriptDirectory.from_config(config).get_heads())


def test_a_web_worker_loads_no_migration_tooling():
    """shop.wsgi (what uWSGI loads) builds the app without Alembic, Mako, Pygments and, with no
    SHOP_REDIS_URL, without the redis package: memory every worker would carry for nothing."""
    code = ("import sys, shop.wsgi; "
            "print(sorted(m for m in ('alembic', 'mako', 'pygments', 'flask_migrate', 'redis') "
            "if m in sys.modules))")
    env = {**os.environ, "SHOP_CONFIG": "development", "SHOP_REDIS_URL": "",
           "SHOP_DATABASE_URL": "sqlite://"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
