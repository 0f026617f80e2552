"""SQLite needs foreign keys switched on per connection, and WAL for concurrent uWSGI workers.

SQLite's own `lower()` (and so `ILIKE`, which SQLAlchemy compiles to `lower(x) LIKE lower(y)`)
folds ASCII letters only: "Кроссовки" never matches "кроссовки". Every connection therefore
also gets `unicode_lower()`, Python's `str.lower`, which folds every alphabet the way
PostgreSQL's `lower()` does under a UTF-8 locale.
"""

from sqlalchemy import event


def enable_sqlite_pragmas(engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        dbapi_connection.create_function("unicode_lower", 1, unicode_lower, deterministic=True)


def unicode_lower(value):
    """SQL `unicode_lower(x)`: `x` in lower case in any alphabet (NULL and non-text kept)."""
    return value.lower() if isinstance(value, str) else value
