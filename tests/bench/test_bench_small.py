"""The benchmark itself, in its small mode (100 products, 2-second loads), so it cannot rot.

Runs `bench/run.py --small` as `make bench` would: builds the database, serves the hello-world
and the shop under uWSGI, loads every page with wrk. Asserts that it ran and that every page
answered and stayed within the SQL budget; speed is not asserted (no timed tests).
On PostgreSQL (SHOP_TEST_DATABASE_URL) it builds a throwaway `<db>_bench_ci` database.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shop import normalise_database_url
from tests.conftest import ON_POSTGRES, TEST_DB_URL

ROOT = Path(__file__).resolve().parents[2]


def bench_database_url():
    if not ON_POSTGRES:
        return None
    base, _, query = TEST_DB_URL.partition("?")
    server, _, name = base.rpartition("/")
    return f"{server}/{name}_bench_ci" + (f"?{query}" if query else "")


def drop_database(url):
    from sqlalchemy import create_engine, make_url, text

    target = make_url(normalise_database_url(url))
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    server.dispose()


def test_bench_runs_in_small_mode():
    if shutil.which("wrk") is None:
        if os.environ.get("CI"):
            pytest.fail("wrk is not installed: `make wrk` (CI must run the benchmark)")
        pytest.skip("wrk is not installed (make wrk)")
    env = dict(os.environ)
    env.pop("SHOP_DATABASE_URL", None)
    env.pop("SHOP_MEDIA_ROOT", None)
    url = bench_database_url()
    if url:
        env["SHOP_BENCH_DATABASE_URL"] = url
    else:
        env.pop("SHOP_BENCH_DATABASE_URL", None)
    try:
        result = subprocess.run(
            [sys.executable, "bench/run.py", "--small"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=170,
            check=False,
        )
    finally:
        if url:
            drop_database(url)
    assert result.returncode == 0, result.stdout + result.stderr
    engine = "postgresql" if url else "sqlite"
    report = json.loads((ROOT / "bench" / "results" / f"results-{engine}-small.json").read_text())
    pages = {row["page"] for row in report["pages"]}
    assert {
        "home",
        "category",
        "search ru",
        "search en",
        "product",
        "cart flow",
        "category (shopper)",
    } <= pages
    for row in report["pages"]:
        assert row["rps"] > 0, row
        assert row["status_errors"] == 0 and row["socket_errors"] == 0, row
        assert row["queries"] is not None and row["queries"] <= 6, row
    assert len(report["worker_rss_mb"]) == 2
    assert "| page | req/s | p50 ms | p99 ms |" in result.stdout
