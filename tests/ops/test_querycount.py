"""The X-Query-Count header: present only when SHOP_BENCH_COUNT_QUERIES asks for it."""

from shop import create_app


def test_no_header_by_default(client, db):
    assert "X-Query-Count" not in client.get("/").headers


def test_header_counts_the_statements_of_the_request(app, db, database_url, monkeypatch):
    monkeypatch.setenv("SHOP_DATABASE_URL", database_url)
    monkeypatch.setenv("SHOP_BENCH_COUNT_QUERIES", "1")
    counting = create_app("testing")
    with counting.app_context():
        client = counting.test_client()
        home = client.get("/")
        assert home.status_code == 200
        assert int(home.headers["X-Query-Count"]) >= 1
        # A file that touches no table counts zero: nothing leaks from the previous request.
        static = client.get("/static/css/shop.css")
        static.close()
        assert static.headers["X-Query-Count"] == "0"
    with counting.app_context():  # the first context has returned its connection by now
        from shop.extensions import db as _db

        _db.engine.dispose()
