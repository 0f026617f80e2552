"""Request logs: JSON lines with a request id, user id, status and latency; tracebacks in the
log, never on the page."""

import json
import logging

from shop.ops.logs import JsonFormatter, RequestIdFilter, configure_logging
from tests.factories import UserFactory
from tests.ops.helpers import dispose, env_app


def access_records(caplog):
    return [r for r in caplog.records if r.name == "shop.request"]


def test_a_request_id_is_made_and_returned(client, caplog):
    caplog.set_level(logging.INFO, logger="shop.request")
    response = client.get("/healthz")
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    (record,) = [r for r in access_records(caplog) if r.path == "/healthz"]
    assert record.request_id == request_id
    assert record.status == 200
    assert record.method == "GET"
    assert record.duration_ms >= 0
    assert record.user_id is None


def test_an_incoming_request_id_is_kept_and_a_bad_one_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-abc.123"})
    assert response.headers["X-Request-ID"] == "nginx-abc.123"
    response = client.get("/healthz", headers={"X-Request-ID": "bad id {\"json\": 1}"})
    assert response.headers["X-Request-ID"] != "bad id {\"json\": 1}"
    assert len(response.headers["X-Request-ID"]) == 32
    response = client.get("/healthz", headers={"X-Request-ID": "x" * 500})
    assert len(response.headers["X-Request-ID"]) == 32


def test_the_user_id_is_logged_for_a_logged_in_user(app, client, db, caplog):
    user = UserFactory()
    with client.session_transaction() as session:
        session["_user_id"] = user.fs_uniquifier
        session["_fresh"] = True
    caplog.set_level(logging.INFO, logger="shop.request")
    client.get("/")
    records = [r for r in access_records(caplog) if r.path == "/"]
    assert records and records[-1].user_id == user.id


def test_json_lines_carry_extras_request_id_and_traceback():
    formatter = JsonFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("shop.x", logging.ERROR, __file__, 1, "failed %s", ("here",),
                                   sys.exc_info())
    record.request_id = "rid-1"
    record.status = 500
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["msg"] == "failed here"
    assert entry["level"] == "ERROR"
    assert entry["request_id"] == "rid-1"
    assert entry["status"] == 500
    assert "ValueError: boom" in entry["exc_info"]
    assert entry["ts"].endswith("+00:00")


def test_records_outside_a_request_get_no_request_id():
    record = logging.LogRecord("shop.x", logging.INFO, __file__, 1, "m", (), None)
    assert RequestIdFilter().filter(record)
    assert record.request_id is None


def test_configure_logging_installs_one_handler():
    first = configure_logging(True)
    second = configure_logging(False)
    assert first is second
    assert sum(h is first for h in logging.getLogger().handlers) == 1


def test_an_error_is_logged_with_its_traceback_and_shown_as_a_page(db, monkeypatch, caplog):
    app = env_app(monkeypatch, SHOP_PROPAGATE_EXCEPTIONS="false")

    @app.get("/__ops_test/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    try:
        caplog.set_level(logging.INFO)
        response = app.test_client().get("/__ops_test/boom", headers={"X-Request-ID": "rid-500"})
        assert response.status_code == 500
        body = response.get_data(as_text=True)
        assert "secret internal detail" not in body
        assert "Traceback" not in body
        assert response.headers["X-Request-ID"] == "rid-500"
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
        assert errors, "the exception was not logged"
        assert "secret internal detail" in JsonFormatter().format(errors[-1])
        access = [r for r in access_records(caplog) if r.path == "/__ops_test/boom"]
        assert access[-1].status == 500 and access[-1].request_id == "rid-500"
    finally:
        dispose(app)


def test_sentry_starts_only_with_a_dsn(monkeypatch):
    import sentry_sdk

    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **kwargs: calls.append(kwargs))
    app = env_app(monkeypatch)
    dispose(app)
    assert calls == []
    app = env_app(monkeypatch, SHOP_SENTRY_DSN="https://key@sentry.example.com/1")
    dispose(app)
    assert len(calls) == 1
    assert calls[0]["dsn"] == "https://key@sentry.example.com/1"
    assert calls[0]["send_default_pii"] is False
    assert calls[0]["environment"] == "testing"
