"""Fixtures for account tests: a rate-limited app, reading mail from the outbox, and test
clients that close each response as a server does."""

import re

import pytest

from shop.extensions import db as _db
from shop.extensions import limiter
from shop.notifications.models import OutboxMessage


@pytest.fixture(autouse=True)
def _responses_closed_like_a_server(monkeypatch):
    """Every test client reads each response whole and closes it, as a WSGI server does.

    Some account mail is written when the response is closed, after its body has been sent
    (shop.accounts.deferred). Werkzeug's test client leaves a response open until the test
    closes it; buffered, it reads and closes it at once. Tests that look at the moment between
    the body and close() call the WSGI app themselves (tests/accounts/test_enumeration.py).
    """
    from flask.testing import FlaskClient

    open_unbuffered = FlaskClient.open

    def open_buffered(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return open_unbuffered(self, *args, **kwargs)

    monkeypatch.setattr(FlaskClient, "open", open_buffered)


@pytest.fixture()
def queued(db):
    """The outbox rows written so far, oldest first."""

    def read(recipient=None):
        query = _db.session.query(OutboxMessage).order_by(OutboxMessage.id)
        if recipient:
            query = query.filter(OutboxMessage.recipient == recipient)
        _db.session.expire_all()
        return query.all()

    return read


def link_in(message, path_part):
    """The first link in a mail's text whose path contains `path_part`, as a local path."""
    match = re.search(r"https?://[^/\s]+(\S*" + re.escape(path_part) + r"\S*)", message.body_text)
    assert match, f"no {path_part} link in {message.body_text!r}"
    return match.group(1)


@pytest.fixture(params=[0])
def limited_app(request, app, monkeypatch, db):
    """A second app with rate limits on (the shared test app has them off), fresh counters.

    Parametrise indirectly with a number of trusted proxies (SHOP_PROXY_COUNT), 0 by default.
    """
    from shop import create_app

    monkeypatch.setenv("SHOP_PROXY_COUNT", str(request.param))
    monkeypatch.setenv("SHOP_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("SHOP_RATELIMIT_ENABLED", "true")
    monkeypatch.setenv("SHOP_ACCOUNT_RATE_LIMIT_PER_IP", '"6 per minute"')
    monkeypatch.setenv("SHOP_ACCOUNT_RATE_LIMIT_PER_ACCOUNT", '"3 per minute"')
    other = create_app("testing")
    limiter.reset()
    try:
        with other.app_context():
            yield other
            _db.session.remove()
            _db.engine.dispose()
    finally:
        limiter.reset()
        limiter.enabled = False
