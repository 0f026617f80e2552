"""The demo's HTTP listener (uWSGI http11-socket) answers a browser that opens more
connections than there are worker threads: a connection kept alive by one client would hold its
thread until it idles out (4 s), so every response closes its connection."""

import http.client
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e


def test_more_connections_than_threads_are_all_answered(live_server):
    address = urlsplit(live_server.url)
    # A browser opens six connections to a host; the test server has 2 workers x 2 threads.
    host, port = address.hostname, address.port
    conns = [http.client.HTTPConnection(host, port, timeout=3) for _ in range(6)]
    try:
        for conn in conns:
            conn.request("GET", "/robots.txt")
        for conn in conns:
            response = conn.getresponse()  # a starved connection would time out here
            response.read()
            assert response.status == 200
            assert response.getheader("Connection") == "close"
            assert response.will_close
    finally:
        for conn in conns:
            conn.close()
