"""The checkout ping (shop/core/pool.py): no round trip for a connection just handed back,
a ping when it sat idle or the server spoke on it, and a dead connection never reaches a
request."""

import socket
import time

import pytest
from sqlalchemy import create_engine, text

from shop.core.pool import _has_data, install_checkout_ping
from tests.conftest import TEST_DB_URL


class _Conn:
    """Just what _has_data reads of a DBAPI connection."""

    def __init__(self, sock, closed=False):
        self._sock, self.closed = sock, closed

    def fileno(self):
        return self._sock.fileno()


def test_a_quiet_socket_has_no_data_and_a_written_or_closed_one_has():
    mine, server = socket.socketpair()
    try:
        assert _has_data(_Conn(mine)) is False
        server.sendall(b"E")  # what PostgreSQL sends before it ends a session
        assert _has_data(_Conn(mine)) is True
        assert _has_data(_Conn(mine, closed=True)) is True
    finally:
        mine.close()
        server.close()
    assert _has_data(_Conn(mine)) is True  # a closed socket cannot be selected: treat as dead


@pytest.fixture()
def engine():
    engine = create_engine(TEST_DB_URL, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _backend_pid(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar()


@pytest.mark.postgres
def test_a_connection_handed_back_just_now_is_not_pinged_an_idle_one_is(engine, monkeypatch):
    install_checkout_ping(engine, ping_after=0.2)
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(1) or real_ping(c))
    first = _backend_pid(engine)
    assert _backend_pid(engine) == first and _backend_pid(engine) == first
    assert pings == []
    time.sleep(0.3)
    assert _backend_pid(engine) == first
    assert pings == [1]


@pytest.mark.postgres
def test_a_connection_the_server_ended_is_replaced_before_use(engine):
    install_checkout_ping(engine, ping_after=3600)
    first = _backend_pid(engine)
    admin = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    finally:
        admin.dispose()
    # The server's goodbye reaches the idle socket a moment later.
    pooled = engine.pool._pool.queue[0].dbapi_connection
    deadline = time.monotonic() + 5
    while not _has_data(pooled) and time.monotonic() < deadline:
        time.sleep(0.01)
    second = _backend_pid(engine)  # no error: the pool noticed and opened a new connection
    assert second != first
