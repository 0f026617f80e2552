"""The cart's tests send every request in an app context of its own, as a server does.

The `db` fixture keeps an app context open for the test's own reads and writes; a request sent
inside it would share that context's `g` (Flask pushes no new app context when one of the same
app is active), and with it Flask-WTF's CSRF token, the logged-in user and any per-request
memo, from one request to the next. Production code must not be written around that (issue
16.5), so here the requests run outside it: each gets a fresh app context, `g` and database
session, and the test's own session sees their commits (expire what it holds when needed).
"""

import contextvars

import pytest
from flask.testing import FlaskClient


class OwnContextClient(FlaskClient):
    """A test client whose requests never see the app context the test holds open."""

    def open(self, *args, **kwargs):
        # An empty contextvars.Context: no app or request context is active inside it.
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture()
def client(app, db):
    previous = app.test_client_class
    app.test_client_class = OwnContextClient
    try:
        yield app.test_client()
    finally:
        app.test_client_class = previous
