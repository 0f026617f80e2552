"""Helpers for tests that look at the statements a request sends."""

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def autocommit_of_statements(engine):
    """Yields a list that gets, for each statement run meanwhile, whether its connection was
    in autocommit (True: no transaction around it)."""
    modes = []

    def record(conn, *_args):
        modes.append(conn.connection.dbapi_connection.autocommit)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield modes
    finally:
        event.remove(engine, "before_cursor_execute", record)
