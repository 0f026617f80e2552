"""Responses for files never write the session cookie: a stylesheet fetched while the visitor
logs in must not set the pre-login session again when it arrives last."""

import re

import pytest

from shop.core.session_cookie import FILE_ENDPOINTS


def _session_cookie(response):
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]


def test_a_file_response_leaves_a_changed_session_alone(client):
    page = client.get("/account/login")  # a session with a CSRF token, not yet marked
    assert _session_cookie(page)
    css = re.search(r'href="(/static/[^"]+\.css[^"]*)"', page.get_data(as_text=True)).group(1)
    response = client.get(css)
    response.close()  # a file response: its file is open until closed
    assert response.status_code == 200
    assert _session_cookie(response) == []
    # a page still writes it (Flask-Login marks the session on its first request after this)
    assert _session_cookie(client.get("/account/login"))


@pytest.mark.parametrize("endpoint", sorted(FILE_ENDPOINTS))
def test_every_file_endpoint_exists(app, endpoint):
    assert endpoint in {rule.endpoint for rule in app.url_map.iter_rules()}
