"""The benchmark itself, in its small mode (100 products, 2-second loads), so it cannot rot.

Runs `bench/run.py --small` as `make bench` would: builds the database, serves the hello-world
and the shop under uWSGI, loads every row with wrk: the real-traffic rows (every request another
URL of the catalogue, issue 16) and the single-URL rows. Asserts that it ran and that every page
answered and stayed within the SQL budget; speed is not asserted (no timed tests).
On PostgreSQL (SHOP_TEST_DATABASE_URL) it builds a throwaway `<db>_bench_ci` database.

The URL lists of the real-traffic rows (bench/traffic.py) are checked without a server too.
"""

import json
import math
import os
import random
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from bench import build_catalogue, traffic
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
    rows = [row["page"] for row in report["pages"]]
    assert rows[0] == "mix 5:3:2"  # the headline
    assert {
        "mix 5:3:2",
        "random products",
        "random category pages",
        "random searches",
        "mix (signed in)",
        "cart flow",
        "home (one URL)",
        "category (one URL)",
        "search ru (one URL)",
        "search en (one URL)",
        "product (one URL)",
        "category for a shopper (one URL)",
    } <= set(rows)
    assert not {"home", "category", "product", "search ru"} & set(rows)  # old names: unlabelled
    by_name = {row["page"]: row for row in report["pages"]}
    for name in ("mix 5:3:2", "random category pages", "random searches", "mix (signed in)"):
        assert by_name[name]["distinct_urls"] >= 500, by_name[name]
    assert by_name["random products"]["distinct_urls"] >= 90  # of the 100 products
    assert report["traffic"]["search"]["distinct"] >= 500
    assert report["signed_in_shoppers"] == 2
    for row in report["pages"]:
        assert row["rps"] > 0, row
        assert row["status_errors"] == 0 and row["socket_errors"] == 0, row
        # A signed-in page takes 8 statements today (session check, user, cart summary on top
        # of the page's own; a product page reads its related products' candidates apart from
        # them, instead of sorting the whole catalogue); issue 16.2 brings every page to 6:
        # then drop this exception.
        budget = 8 if row["page"] == "mix (signed in)" else 6
        assert row["queries"] is not None and row["queries"] <= budget, row
    assert len(report["worker_rss_mb"]) == 2
    assert "| row | req/s | p50 ms | p99 ms |" in result.stdout
    assert "- **random searches**: " in result.stdout  # what each row means, under the table


# --- The real-traffic URL lists, without a server ----------------------------------------------


def _catalogue():
    """A hand-made catalogue: two shelves under one root, variants with sizes and colours."""
    products = []
    for pid in range(1, 61):
        category = 2 if pid % 2 else 3
        variants = {("S", "чёрный"), ("M", "белый")} if pid % 3 else {("L", "чёрный")}
        products.append((category, float(500 + 100 * pid), pid % 4 != 0, variants))
    return traffic.Catalogue(
        slugs=[f"bench-{pid}" for pid in range(1, 61)],
        categories={"root": {1, 2, 3}, "left": {2}, "right": {3}},
        products=products,
        skus=[f"B{pid:05d}-{pos}" for pid in range(1, 61) for pos in range(3)],
    )


def _matching_by_hand(cat, slug, args):
    found = 0
    for category, price, in_stock, variants in cat.products:
        if category not in cat.categories[slug]:
            continue
        if "price_min" in args and price < float(args["price_min"]):
            continue
        if "price_max" in args and price > float(args["price_max"]):
            continue
        if "in_stock" in args and not in_stock:
            continue
        size, colour = args.get("size"), args.get("colour")
        if (size or colour) and not any(
            size in (None, s) and colour in (None, c) for s, c in variants
        ):
            continue
        found += 1
    return found


def test_category_urls_are_distinct_real_pages():
    cat = _catalogue()
    urls = traffic.category_urls(cat, random.Random(3), 400, per_page=5)
    assert len(urls) == len(set(urls)) > 200
    sorts, filtered = Counter(), 0
    for url in urls:
        parts = urlsplit(url)
        slug = parts.path.rsplit("/", 1)[1]
        args = {k: v[0] for k, v in parse_qs(parts.query).items()}
        found = _matching_by_hand(cat, slug, args)
        assert found > 0, url  # no empty listing
        assert 1 <= int(args.get("page", 1)) <= math.ceil(found / 5), url  # never past the end
        sorts[args.get("sort")] += 1
        filtered += bool({"in_stock", "size", "colour", "price_min", "price_max"} & set(args))
    assert set(sorts) == {None, "price_asc", "price_desc", "newest", "name"}
    assert 0.3 < filtered / len(urls) < 0.7
    assert any("page=" in url for url in urls) and any("lang=en" in url for url in urls)


def test_size_and_colour_must_meet_on_one_variant():
    """Like the storefront's filter: a product with an S in white and an M in black is not an
    "S in black"."""
    cat = traffic.Catalogue(
        slugs=["bench-1"],
        categories={"only": {1}},
        products=[(1, 1000.0, True, {("S", "белый"), ("M", "чёрный")})],
        skus=["B00001-0"],
    )
    assert traffic._matching(cat, "only", {"size": "S", "colour": "белый"}) == 1
    assert traffic._matching(cat, "only", {"size": "S", "colour": "чёрный"}) == 0


def test_searches_are_many_word_forms_pairs_and_skus_in_both_languages():
    queries = traffic.search_queries(_catalogue(), random.Random(5))
    assert len(queries) == len(set(queries)) >= traffic.MIN_SEARCHES
    texts = {q for q, _lang in queries}
    # Russian inflections of the builder's words, English singular and plural
    assert {"свитер", "свитеры", "свитеров", "хлопковые", "хлопкового", "теплый"} <= texts
    assert {"хлопковые свитеры", "свитер хлопковый", "тёплая подушка"} <= texts
    assert {"sweater", "sweaters", "cotton sweaters", "boot", "boots"} <= texts
    assert any(q.startswith("B000") and "-" not in q for q in texts)  # SKU prefixes
    english = [q for q, lang in queries if lang == "en"]
    assert english and all(not any("а" <= ch <= "я" for ch in q) for q in english)
    words = {word for q in texts for word in q.split()}
    for adjective, adjective_en in build_catalogue.WORDS_RU:
        assert adjective in words and adjective_en in words


def test_the_mix_is_five_products_three_categories_two_searches():
    lists = {"product": ["/product/a"], "category": ["/catalog/b"], "search": ["/search?q=c"]}
    urls = traffic.mix_urls(lists, random.Random(7), 1_000)
    kinds = Counter(url.split("/")[1].split("?")[0] for url in urls)
    assert kinds == {"product": 500, "catalog": 300, "search": 200}


def test_sample_warm_up_and_load_share_no_url():
    row = traffic.split([f"/product/bench-{n}" for n in range(100)], sample=6, warm=20)
    assert (len(row.sample), len(row.warm), len(row.load)) == (6, 20, 74)
    assert not set(row.sample) & set(row.load) and not set(row.warm) & set(row.load)
