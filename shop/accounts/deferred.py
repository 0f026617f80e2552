"""Work that runs after the response has been sent, so it can neither delay nor shape it.

Some account mail tells, by the time it takes to build (a token, two templates, an outbox row
and a commit), whether an address has an account: "send me a reset link" would answer later for
a known address than for an unknown one. Such work is handed to `after_response` and runs once
the whole body has gone out.

Flask's `after_this_request` and `after_request` functions run before the body is sent. A WSGI
server calls the response iterable's `close()` after sending the last byte (uWSGI, Werkzeug's
server and its test client all do), and Werkzeug runs the functions given to
`response.call_on_close` from there. By then the request's context and database session are
gone: each job runs in a fresh app context, in its own transaction, and commits it itself.
"""

import logging

from flask import Flask, request, request_finished

from shop.extensions import db

log = logging.getLogger(__name__)

_ENVIRON_KEY = "shop.after_response"
ATTEMPTS = 3  # a job that fails (a lost connection, a locked SQLite file) is tried again


def after_response(job, *args) -> None:
    """Run `job(*args)` after this request's response has been sent (only if it is not a 5xx).

    The job gets a fresh app context, no request, and must commit its own work. Kept in the
    WSGI environ, so it belongs to exactly this request.
    """
    request.environ.setdefault(_ENVIRON_KEY, []).append((job, args))


def _attach(app: Flask, response, **extra) -> None:
    jobs = request.environ.pop(_ENVIRON_KEY, None)
    if jobs and response.status_code < 500:
        # request_finished hands over the very response object the server will send and close,
        # whatever after_request functions did before.
        response.call_on_close(lambda: run_jobs(app, jobs))


def run_jobs(app: Flask, jobs) -> None:
    """Run each job in its own app context; never raise (the response is already sent)."""
    for job, args in jobs:
        for attempt in range(1, ATTEMPTS + 1):
            with app.app_context():
                try:
                    job(*args)
                    break
                except Exception:
                    db.session.rollback()
                    if attempt == ATTEMPTS:
                        log.exception("after-response job %s failed", job.__name__)
                    else:
                        log.warning("after-response job %s failed, trying again", job.__name__)


def init_app(app: Flask) -> None:
    request_finished.connect(_attach, app)
