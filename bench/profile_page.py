"""Profile storefront pages in-process: where a request spends its time.

    python bench/profile_page.py DATABASE_URL PATH [REQUESTS] [--sort tottime|cumulative]
    python bench/profile_page.py DATABASE_URL --pages [COUNT] [--profile KIND]

Builds the app as uWSGI would (SHOP_CONFIG=development against DATABASE_URL, e.g. the
benchmark's instance/bench/bench.db).

With PATH: warms it up, then requests it again and again under cProfile and prints the 35
costliest functions and the mean time per request (one URL: whatever the app keeps between
requests helps every time).

With --pages: the real-traffic view (issue 16). COUNT distinct URLs of each kind (home,
product, category, search, cart; drawn as `make bench` draws them), each rendered once, so no
page is helped by an earlier render of itself; prints per kind the median and 90th percentile
time and the median and largest number of SQL statements. `--profile KIND` runs that kind's
URLs under cProfile instead and prints where the time goes.
"""

import cProfile
import logging
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


KINDS = ("home", "product", "category", "search", "cart")


def _page_urls(url: str, count: int) -> dict:
    from bench import traffic
    from bench.run import _per_page

    rows = traffic.build_rows(url, small=True, per_page=_per_page(), seed=7)

    def distinct(kind):
        row = rows[kind]
        return list(dict.fromkeys(row.sample + row.warm + row.load))[:count]

    return {
        "home": ["/", "/?lang=en"],
        "product": distinct("product"),
        "category": distinct("category"),
        "search": distinct("search"),
        "cart": ["/cart"],  # the guest's empty cart (a cart with lines: make bench's cart row)
    }


def pages(url: str, count: int, profile_kind: str | None) -> int:
    os.environ["SHOP_BENCH_COUNT_QUERIES"] = "1"
    from shop import create_app

    app = create_app()
    logging.getLogger("shop.request").setLevel(logging.WARNING)  # one line per request
    urls = _page_urls(url, count)
    client = app.test_client()
    for path in ("/", "/?lang=en"):  # the first requests of a worker (imports, pools)
        client.get(path)
    if profile_kind:
        if profile_kind not in KINDS:
            print(f"--profile takes one of {', '.join(KINDS)}", file=sys.stderr)
            return 2
        profiler = cProfile.Profile()
        profiler.enable()
        started = time.perf_counter()
        for path in urls[profile_kind]:
            client.get(path)
        elapsed = time.perf_counter() - started
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(40)
        print(f"{profile_kind}: {elapsed / len(urls[profile_kind]) * 1000:.2f} ms per page "
              f"(under the profiler, {len(urls[profile_kind])} distinct URLs)")
        return 0
    # Wall time, and the CPU time of this process's thread (with SQLite that includes the
    # database's work; it is what to compare on a machine busy with other work).
    print(f"{'page':<10} {'URLs':>5} {'median ms':>10} {'p90 ms':>8} {'CPU ms':>7} "
          f"{'SQL median':>11} {'SQL max':>8}")
    failed = 0
    for kind in KINDS:
        times, cpu, queries = [], [], []
        for path in urls[kind]:
            started, started_cpu = time.perf_counter(), time.thread_time()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            queries.append(int(response.headers.get("X-Query-Count", 0)))
            if response.status_code != 200:
                failed += 1
                print(f"  {path} answered {response.status_code}", file=sys.stderr)
        if not times:
            continue
        times.sort()
        p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
        print(f"{kind:<10} {len(times):>5} {statistics.median(times):>10.2f} {p90:>8.2f} "
              f"{statistics.median(cpu):>7.2f} {statistics.median(queries):>11.0f} "
              f"{max(queries):>8}")
    return 1 if failed else 0


def main(argv) -> int:
    if len(argv) >= 2 and argv[1] == "--pages":
        count = int(argv[2]) if len(argv) > 2 and argv[2].isdigit() else 300
        kind = argv[argv.index("--profile") + 1] if "--profile" in argv else None
        os.environ["SHOP_DATABASE_URL"] = argv[0]
        os.environ.setdefault("SHOP_CONFIG", "development")
        os.environ.setdefault("SHOP_RATELIMIT_ENABLED", "false")
        return pages(argv[0], count, kind)
    sort = "cumulative"
    if "--sort" in argv:
        at = argv.index("--sort")
        sort = argv[at + 1]
        argv = argv[:at] + argv[at + 2 :]
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    url, path = argv[0], argv[1]
    count = int(argv[2]) if len(argv) == 3 else 200
    os.environ["SHOP_DATABASE_URL"] = url
    os.environ.setdefault("SHOP_CONFIG", "development")
    os.environ.setdefault("SHOP_RATELIMIT_ENABLED", "false")
    from shop import create_app

    app = create_app()
    client = app.test_client()
    for _ in range(20):
        response = client.get(path)
    if response.status_code != 200:
        print(f"{path} answered {response.status_code}", file=sys.stderr)
        return 1
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(count):
        client.get(path)
    profiler.disable()
    elapsed = time.perf_counter() - started
    pstats.Stats(profiler).sort_stats(sort).print_stats(35)
    print(f"{path}: {elapsed / count * 1000:.2f} ms per request (under the profiler)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
