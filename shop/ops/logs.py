"""Logs as JSON lines (one object per line, ready for journald, Loki or ELK).

Every line written while a request is handled carries its request id; the access line adds
method, path, status, latency and the user id. An `X-Request-ID` sent by nginx (or a client) is
kept when it looks sane, so one id follows a request through nginx, the app and the logs; it is
returned in the response. Unhandled errors are logged with their traceback by Flask and shown
to the visitor only as the translated 500 page.
"""

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
# Only short, printable ids are accepted, so a header cannot inject into the logs.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_HANDLER_MARK = "_shop_ops_handler"
access_log = logging.getLogger("shop.request")

# Attributes every LogRecord has; anything else was passed through `extra=` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def current_request_id() -> str | None:
    if has_request_context():
        return getattr(g, "request_id", None)
    return None


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being handled (or None outside one)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras, traceback."""

    def format(self, record):
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")


def configure_logging(json_lines: bool, level: str = "INFO") -> logging.Handler:
    """Install one handler on the root logger (stderr, which uWSGI writes to its log).

    Idempotent: tests build many apps in one process, and a second call only updates the
    format and level.
    """
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, _HANDLER_MARK, False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        setattr(handler, _HANDLER_MARK, True)
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    root.setLevel(level)
    return handler


def init_app(app: Flask) -> None:
    configure_logging(bool(app.config.get("LOG_JSON")), app.config.get("LOG_LEVEL", "INFO"))
    # Flask's own handler would print every error twice; the root handler is enough.
    app.logger.removeHandler(default_handler)
    # First of all before_request hooks: CSRF or rate limits may end a request early, and its
    # log line and response still need the id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.after_request(_finish_request)


def _start_request():
    g.request_started = time.perf_counter()
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex


def request_user_id():
    """The logged-in user's id if this request loaded one; never triggers a database query."""
    user = getattr(g, "_login_user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return getattr(user, "id", None)
    return None


def _finish_request(response):
    request_id = getattr(g, "request_id", None)
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    started = getattr(g, "request_started", None)
    duration_ms = round((time.perf_counter() - started) * 1000, 2) if started else None
    access_log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "request_id": request_id,
            "method": request.method,
            "path": request.path,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": request_user_id(),
            "remote_addr": request.remote_addr,
            "bytes": response.calculate_content_length(),
        },
    )
    return response
