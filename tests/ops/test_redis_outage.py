"""Redis down (SHOP_REDIS_URL set, nothing listening): shoppers still log in, rate limits still
count (per worker, in memory), pages still render, and /readyz says "degraded" with 200; only
the database being down takes the node out."""

import pytest

from shop.extensions import limiter
from tests.accounts.helpers import PASSWORD, csrf
from tests.factories import UserFactory
from tests.ops.helpers import dispose, env_app

# Port 1 (tcpmux): nothing listens, the connection is refused at once.
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture()
def redis_down_app(monkeypatch, db):
    """A testing app with Redis configured but unreachable and rate limits on."""
    app = env_app(
        monkeypatch,
        SHOP_REDIS_URL=DEAD_REDIS,
        SHOP_RATELIMIT_ENABLED="true",
        SHOP_ACCOUNT_RATE_LIMIT_PER_IP='"20 per minute"',
        SHOP_ACCOUNT_RATE_LIMIT_PER_ACCOUNT='"3 per minute"',
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == DEAD_REDIS
    try:
        yield app
    finally:
        # The limiter is one object for every app of the test run: leave it as others expect.
        limiter._storage_dead = False
        limiter.enabled = False
        dispose(app)


def log_in(client, email, password):
    return client.post(
        "/account/login",
        data={"email": email, "password": password, "csrf_token": csrf(client)},
    )


def test_login_works_while_redis_is_down(redis_down_app):
    user = UserFactory(email="shopper@example.com")
    client = redis_down_app.test_client()
    response = log_in(client, user.email, PASSWORD)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert client.get("/account/profile").status_code == 200  # logged in


def test_rate_limits_still_count_in_memory(redis_down_app):
    UserFactory(email="target@example.com")
    client = redis_down_app.test_client()
    statuses = [
        log_in(client, "target@example.com", "wrong password 1").status_code for _ in range(4)
    ]
    assert 500 not in statuses
    assert statuses[:3] != [429] * 3 and statuses[3] == 429


def test_pages_render_while_redis_is_down(redis_down_app):
    client = redis_down_app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/cart").status_code == 200


def test_readyz_is_degraded_but_ready(redis_down_app):
    response = redis_down_app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json == {
        "status": "degraded",
        "checks": {"database": "ok", "migrations": "ok", "redis": "unreachable"},
    }


def test_readyz_still_fails_when_the_database_is_down(monkeypatch):
    app = env_app(
        monkeypatch,
        SHOP_REDIS_URL=DEAD_REDIS,
        SHOP_DATABASE_URL="postgresql://shop@127.0.0.1:9/shop",
    )
    try:
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.json["status"] == "unavailable"
        assert response.json["checks"]["database"] == "unreachable"
    finally:
        dispose(app)


def test_nothing_is_cached_while_redis_is_down_and_the_missed_bump_is_made_later(
    redis_down_app, monkeypatch
):
    import shop.core.cache as cache

    monkeypatch.setattr(cache, "_bump_owed", False)
    with redis_down_app.test_request_context("/"):
        computed = []
        cache.bump_catalogue_version()  # a catalogue edit's commit: logged, not raised
        assert cache.catalogue_version() is None  # no namespace: every value is computed
        assert cache.catalogue_cached("menu", lambda: computed.append(1) or 1) == 1
        assert cache.catalogue_cached("menu", lambda: computed.append(1) or 1) == 1
        assert len(computed) == 2
    assert cache._bump_owed  # made by the first read that reaches Redis again


def test_a_redis_that_failed_is_left_alone_for_a_few_seconds(redis_down_app, monkeypatch):
    """A Redis host that does not answer at all would cost its timeout on every request."""
    import shop.core.cache as cache
    from shop.extensions import cache as flask_cache

    calls = []
    monkeypatch.setattr(cache, "_redis_down_until", 0.0)
    monkeypatch.setattr(cache, "_bump_owed", False)
    backend = redis_down_app.extensions["cache"][flask_cache]
    real = backend.get

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(backend, "get", counting)
    client = redis_down_app.test_client()
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert len(calls) == 1  # the first request found it down; the next two did not ask
    monkeypatch.setattr(cache, "_redis_down_until", 0.0)  # the rest is over: ask again
    client.get("/")
    assert len(calls) == 2
