"""SQL statements per request, for the benchmark and for query-budget checks.

Off by default. With `SHOP_BENCH_COUNT_QUERIES=1` (config `BENCH_COUNT_QUERIES`) every response
carries `X-Query-Count`: the number of statements the request ran, counted by an
`after_cursor_execute` listener on every engine. The count lives in the request's WSGI environ
(not in `g`, which an outer app context can share between requests), so it is per request and
per thread; statements run outside a request (CLI, migrations) are not counted.
"""

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

HEADER = "X-Query-Count"
_KEY = "shop.query_count"
_listening = False


def _count(_conn, _cursor, _statement, _parameters, _context, _executemany):
    if has_request_context():
        environ = request.environ
        environ[_KEY] = environ.get(_KEY, 0) + 1


def query_count() -> int:
    """Statements run so far in the current request."""
    return request.environ.get(_KEY, 0)


def init_app(app) -> None:
    """Register the counter when the app asks for it; otherwise do nothing at all."""
    global _listening
    if not app.config.get("BENCH_COUNT_QUERIES"):
        return
    if not _listening:
        # One listener on the Engine class covers every engine, including ones made later.
        event.listen(Engine, "after_cursor_execute", _count)
        _listening = True

    @app.after_request
    def _add_header(response):
        response.headers[HEADER] = str(query_count())
        return response
