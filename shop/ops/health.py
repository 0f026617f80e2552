"""Probes for load balancers and orchestrators.

`/healthz`: the process is up and answering (no dependencies are touched), for liveness.
`/readyz`: the node can serve shoppers: the database answers and its schema is at the migration
heads. 503 with the failing check named otherwise, so nginx or the balancer can take the node
out until it recovers.

Redis, when configured, is checked and reported but is not required: it holds the rate-limit
counters (Flask-Limiter falls back to per-worker memory, RATELIMIT_IN_MEMORY_FALLBACK_ENABLED)
and the catalogue-cache version (shop.core.cache falls back to its time limit). Without it the
shop still serves everyone, so the answer stays 200 with status "degraded": taking every node
out of the balancer because the shared Redis is down would stop the shop for nothing.
"""

import ast
import logging
import os

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from shop.extensions import db, limiter

bp = Blueprint("ops", __name__)
log = logging.getLogger(__name__)
# What the shop cannot serve without; the other checks only make the answer "degraded".
REQUIRED = ("database", "migrations")


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz():
    checks = {
        "database": _check_database(),
        "migrations": "skipped",
        "redis": _check_redis(),
    }
    if checks["database"] == "ok":
        checks["migrations"] = _check_migrations()
    fine = {name: value in ("ok", "skipped") for name, value in checks.items()}
    ready = all(fine[name] for name in REQUIRED)
    if not ready:
        status = "unavailable"
    else:
        status = "ok" if all(fine.values()) else "degraded"
    return jsonify(status=status, checks=checks), 200 if ready else 503


def _check_database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", and is logged
        log.warning("readiness: database unreachable: %s", exc)
        return "unreachable"
    finally:
        _discard_session()


def _check_migrations() -> str:
    try:
        current = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception as exc:  # noqa: BLE001 - no alembic_version table: never migrated
        log.warning("readiness: cannot read the migration version: %s", exc)
        return "not migrated"
    finally:
        _discard_session()
    heads = migration_heads()
    if current != heads:
        log.warning("readiness: database at %s, code expects %s", sorted(current), sorted(heads))
        return "not at head"
    return "ok"


def migration_heads() -> set[str]:
    """The head revisions of the migration scripts shipped with this code (read once).

    Read from the scripts' `revision` and `down_revision` assignments rather than through
    Alembic's ScriptDirectory, which would load Alembic, Mako and Pygments into every web
    worker for its readiness probe (tests/ops check both agree).
    """
    heads = current_app.extensions.get("shop_migration_heads")
    if heads is None:
        folder = os.path.join(current_app.root_path, "..", "migrations", "versions")
        heads = scripts_heads(folder)
        current_app.extensions["shop_migration_heads"] = heads
    return heads


def scripts_heads(folder: str) -> set[str]:
    """Revisions no other script of `folder` names as its down_revision."""
    revisions, parents = set(), set()
    for name in os.listdir(folder):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), name)
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = getattr(node.targets[0], "id", None)
                if target == "revision":
                    revisions.add(ast.literal_eval(node.value))
                elif target == "down_revision":
                    down = ast.literal_eval(node.value)
                    parents.update(down if isinstance(down, (tuple, list)) else [down])
    return revisions - parents


def _check_redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "skipped"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "degraded", and is logged
        log.warning("readiness: redis unreachable (degraded): %s", exc)
        return "unreachable"


def _discard_session():
    # A probe must never leave a broken transaction behind for the next request.
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001, S110 - the connection is gone; the pool will replace it
        pass
