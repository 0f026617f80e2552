"""`make bench`: build a big catalogue, serve the shop under uWSGI, load it with wrk, print a table.

Steps: (1) build the benchmark's own database (bench/build_catalogue.py: SQLite under
instance/bench/, or PostgreSQL when SHOP_BENCH_DATABASE_URL is set); (2) serve a Flask
hello-world (bench/hello.py) under uwsgi.ini with 2 workers and load it: the baseline;
(3) serve the shop the same way (SHOP_PROCESSES=2, SHOP_HTTP=127.0.0.1:<port>,
SHOP_BENCH_COUNT_QUERIES=1 for the X-Query-Count header) and load every page with wrk from a
separate process; (4) print, per page, req/s, p50 and p99 latency, response size, SQL queries
per request and req/s as a share of the baseline, then the RSS of each worker after the load.

    python bench/run.py                 # full size: 10,000 products, 10 s per page
    python bench/run.py --small         # CI: 100 products, 2 s per page
    python bench/run.py --reuse         # keep the database built by the previous run
    python bench/run.py --readme        # also write the table into README.md

Results also go to bench/results/results-<engine>[-small].json and .md (the README's table).
The exit status is 0 when every page answered 2xx/3xx throughout; targets are reported, not
enforced (`--strict` makes a missed target fail the run).
"""

import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
DB_DIR = ROOT / "instance" / "bench"
OUT_DIR = BENCH_DIR / "results"  # results and uWSGI logs (not in git)
sys.path.insert(0, str(ROOT))

from bench import build_catalogue  # noqa: E402

# The targets: (min req/s, max p99 ms) per page; SQL and RSS bounds for every page.
TARGETS = {
    "home": (900, None),
    "category": (700, 40),
    "category p200": (700, 40),
    "search ru": (700, 40),
    "search en": (700, 40),
    "product": (700, 40),
    "cart flow": (400, None),
    # Not one of the rows: the category page for a shopper with a session and a cart
    # (own header filled into the kept page), held to the category page's targets.
    "category (shopper)": (700, 40),
}
MAX_QUERIES = 6
MAX_RSS_MB = 150
# A listing filter every version of the storefront understands (unknown arguments are ignored).
CATEGORY_FILTER = {"in_stock": "1"}
SEARCH_RU = "свитер"
SEARCH_EN = "sweater"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="100 products, 2-second loads")
    parser.add_argument("--duration", type=int, help="seconds of load per page (10; small: 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads for pages (2)")
    parser.add_argument("--reuse", action="store_true", help="reuse the database if present")
    parser.add_argument(
        "--max-requests",
        type=int,
        help="uWSGI max-requests of both servers (default: uwsgi.ini's, which recycles workers)",
    )
    parser.add_argument("--strict", action="store_true", help="fail when a target is missed")
    parser.add_argument(
        "--only",
        help="load only these rows, comma-separated (e.g. 'cart flow,product'); no README update",
    )
    parser.add_argument(
        "--readme", action="store_true", help="write the table into README.md (full size only)"
    )
    args = parser.parse_args(argv)
    if args.duration is None:
        args.duration = 2 if args.small else 10
    if args.duration < 1 or args.connections < 1 or args.threads < 1:
        parser.error("--duration, --connections and --threads must be positive")
    if args.only is not None:
        args.only = {name.strip() for name in args.only.split(",") if name.strip()}
        unknown = args.only - set(TARGETS)
        if not args.only or unknown:
            parser.error(f"--only takes rows among: {', '.join(TARGETS)}")
        if args.readme:
            parser.error("--readme needs every row: leave out --only")
    return args


def database_url(small: bool) -> str:
    url = os.environ.get("SHOP_BENCH_DATABASE_URL")
    if url:
        return build_catalogue.normalise_database_url(url)
    name = "bench-small.db" if small else "bench.db"
    return f"sqlite:///{DB_DIR / name}"


def engine_name(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """uWSGI from uwsgi.ini with 2 workers on a free local port; its log goes to a file."""

    def __init__(self, name, env, module=None, max_requests=None):
        self.port = free_port()
        self.log_path = OUT_DIR / f"uwsgi-{name}.log"
        cmd = [str(ROOT / ".venv" / "bin" / "uwsgi"), "--ini", str(ROOT / "uwsgi.ini")]
        if module:
            cmd += ["--module", module]
        if max_requests is not None:  # after --ini, so it wins over the file's value
            cmd += ["--max-requests", str(max_requests)]
        full_env = dict(os.environ, **env, SHOP_PROCESSES="2", SHOP_HTTP=f"127.0.0.1:{self.port}")
        full_env.pop("SHOP_UWSGI_SOCKET", None)
        # Its own Prometheus folder: uWSGI empties it on start, so never share a running shop's.
        full_env["SHOP_METRICS_DIR"] = str(OUT_DIR / f"prometheus-{name}")
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        # Its own process group, so stop() can end the master and its workers together.
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=full_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path="/", timeout=90.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"uWSGI exited early; see {self.log_path}")
            try:
                status = request("GET", self.port, path)[0]
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"uWSGI did not answer {path} in {timeout:.0f} s; see {self.log_path}")

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (the master's children), in MB."""
        sizes = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == str(self.proc.pid) and "VmRSS" in fields:
                sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
        return sorted(sizes)

    def stop(self):
        """SIGINT (uWSGI's immediate stop), then, after a second, SIGKILL to the whole group:
        nothing of a benchmark server needs a graceful end, and CI time counts."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.log.close()


def request(method, port, path, cookies=None, body=None, headers=None):
    """One HTTP request: (status, headers, body bytes). Cookies, if given, are updated."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    send = dict(headers or {})
    if cookies:
        send["Cookie"] = cookie_header(cookies)
    if body is not None:
        send["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=send)
        response = conn.getresponse()
        data = response.read()
        if cookies is not None:
            for raw in response.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(raw)
                for key, morsel in jar.items():
                    if morsel.value:
                        cookies[key] = morsel.value
                    else:
                        cookies.pop(key, None)
        return response.status, response.headers, data
    finally:
        conn.close()


def cookie_header(cookies: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def wrk(port, path, duration, connections, threads, script="page.lua", env=None):
    """Load one URL; returns wrk's summary as a dict (see report.lua)."""
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(BENCH_DIR / script),
        f"http://127.0.0.1:{port}{path}",
    ]
    result = subprocess.run(
        cmd,
        env=dict(os.environ, BENCH_DIR=str(BENCH_DIR), **(env or {})),
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            stats = json.loads(line[len("BENCH_JSON ") :])
            stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
            return stats
    raise SystemExit(f"wrk failed on {path}:\n{result.stdout}\n{result.stderr}")


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
FORM_RE = re.compile(r'<form[^>]*action="([^"]*cart[^"]*)"[^>]*>', re.I)


class CartFlowUnavailable(Exception):
    """The shop offers no way to add to the cart that this benchmark can follow."""


def prepare_shoppers(port, product_path, variant_ids, count):
    """Guests with a session, a CSRF token and a cart: what the cart flow needs to start.

    Returns (add path, [(cookies, csrf token)]).
    """
    shoppers = []
    add_path = "/cart/add"
    for _ in range(count):
        cookies = {}
        status, _headers, body = request("GET", port, product_path, cookies=cookies)
        html = body.decode("utf-8", "replace")
        form = FORM_RE.search(html)
        if form:
            add_path = form.group(1).replace("&amp;", "&")
        token = CSRF_RE.search(html)
        if status != 200 or not token:
            raise CartFlowUnavailable(f"no CSRF token on {product_path} (status {status})")
        csrf = token.group(1) or token.group(2)
        body = urlencode({"csrf_token": csrf, "variant_id": variant_ids[0], "quantity": 1})
        status, headers, _ = request("POST", port, add_path, cookies=cookies, body=body)
        if status not in (200, 302, 303):
            raise CartFlowUnavailable(f"adding to the cart answered {status}")
        if "cart" not in cookies and "session" not in cookies:
            raise CartFlowUnavailable("adding to the cart set no cookie")
        shoppers.append((cookies, csrf))
    return add_path, shoppers


def cart_flow(port, product_path, info, args, baseline, failures):
    """Guests add to the cart and open it, again and again (bench/cart.lua); one table row."""
    add_path, shoppers = prepare_shoppers(
        port, product_path, info["cart_variants"], args.connections
    )
    cookies = dict(shoppers[0][0])  # the measurements below must not change the shoppers'
    add_body = urlencode(
        {"csrf_token": shoppers[0][1], "variant_id": info["cart_variants"][1], "quantity": 1}
    )
    _s, _size, add_queries = measure_once(port, add_path, cookies, "POST", add_body)
    status, size, view_queries = measure_once(port, "/cart", cookies)
    if status != 200:
        failures.append(f"cart flow: /cart answered {status}")
    cart_env = {
        "BENCH_CART_SESSIONS": "\n".join(f"{cookie_header(c)}|{t}" for c, t in shoppers),
        "BENCH_CART_VARIANTS": ",".join(str(v) for v in info["cart_variants"]),
        "BENCH_CART_ADD": add_path,
        "BENCH_CART_VIEW": "/cart",
    }
    conns = args.connections
    if not args.small:
        wrk(port, "/cart", 1, conns, conns, "cart.lua", cart_env)  # warm-up
    stats = wrk(port, "/cart", args.duration, conns, conns, "cart.lua", cart_env)
    row = _row("cart flow", f"POST {add_path} + GET /cart", stats, size, None, baseline)
    row["queries"] = max(q for q in (add_queries, view_queries) if q is not None)
    row["queries_text"] = f"{add_queries}+{view_queries}"
    return row


def shopper_page(port, product_path, path, info, args, baseline, failures):
    """One page loaded by guests with a session and a cart (bench/shopper.lua); one table row."""
    _add_path, shoppers = prepare_shoppers(port, product_path, info["cart_variants"], 1)
    cookies = shoppers[0][0]
    request("GET", port, "/cart", cookies=cookies)  # reads the "added" message, as a person would
    cookie = cookie_header(cookies)
    status, size, queries = measure_once(port, path, cookies)
    if status != 200:
        failures.append(f"category (shopper): {path} answered {status}")
    env = {"BENCH_COOKIE": cookie}
    if not args.small:
        wrk(port, path, 1, args.connections, args.threads, "shopper.lua", env)  # warm-up
    stats = wrk(port, path, args.duration, args.connections, args.threads, "shopper.lua", env)
    return _row("category (shopper)", path, stats, size, queries, baseline)


def warm_up(port, path, args):
    """Load templates and fill caches in both workers before measuring (1 s of wrk; small: a few
    requests)."""
    if args.small:
        for _ in range(6):
            request("GET", port, path)
    else:
        wrk(port, path, 1, args.connections, args.threads)


def measure_once(port, path, cookies=None, method="GET", body=None):
    """Status, size and SQL count of one request (the X-Query-Count header)."""
    status, headers, data = request(method, port, path, cookies=cookies, body=body)
    count = headers.get("X-Query-Count")
    return status, len(data), int(count) if count is not None else None


def run(args) -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    url = database_url(args.small)
    engine = engine_name(url)
    sizes = build_catalogue.SMALL if args.small else build_catalogue.FULL
    started = time.monotonic()
    db_exists = url.startswith("postgresql") or Path(url[len("sqlite:///") :]).exists()
    if args.reuse and db_exists and _has_products(url, sizes["products"]):
        print(f"Reusing the {engine} database ({sizes['products']} products).", flush=True)
        build_catalogue.migrate(url)  # migrations added since it was built
    else:
        print(f"Building the {engine} database: {sizes} ...", flush=True)
        build_catalogue.reset(url)
        build_catalogue.migrate(url)
        build_catalogue.build(url, sizes)
        print(f"  built in {time.monotonic() - started:.1f} s", flush=True)
    info = build_catalogue.describe(sizes)
    load_at_start = load_average()
    load = {
        "duration": args.duration,
        "connections": args.connections,
        "threads": args.threads,
        # The small (CI) run checks that the benchmark works: its workers are not recycled,
        # since uWSGI closing a recycled worker's keep-alive connections shows up in wrk as
        # socket errors, which fail the run. Full runs keep uwsgi.ini's max-requests.
        "max_requests": args.max_requests
        if args.max_requests is not None
        else (1_000_000 if args.small else None),
    }

    shop_env = {
        "SHOP_CONFIG": "development",
        "SHOP_DATABASE_URL": url,
        "SHOP_BENCH_COUNT_QUERIES": "1",
        # One client from one address would trip the per-address limits at once.
        "SHOP_RATELIMIT_ENABLED": "false",
        # Its own catalogue version stamp: test runs on the same machine bump instance/'s one,
        # which would drop the benchmark shop's caches at random.
        "SHOP_CATALOGUE_VERSION_FILE": str(OUT_DIR / "catalogue.version"),
    }
    # Both servers start together (idle workers cost nothing); the baseline is loaded once the
    # shop has finished starting, and its server is gone before the shop is loaded.
    hello = Server("hello", {}, module="bench.hello:app", max_requests=load["max_requests"])
    shop = Server("shop", shop_env, max_requests=load["max_requests"])
    try:
        print("Baseline: Flask hello-world under uwsgi.ini, 2 workers ...", flush=True)
        hello.wait_ready()
        shop.wait_ready()
        warm_up(hello.port, "/", args)
        baseline = wrk(hello.port, "/", args.duration, args.connections, args.threads)
    except BaseException:
        shop.stop()
        raise
    finally:
        hello.stop()
    category = f"/catalog/{info['big_category']}"
    filtered = f"{category}?{urlencode(dict(CATEGORY_FILTER, page=info['deep_page']))}"
    pages = [
        ("home", "/"),
        ("category", category),
        (f"category p{info['deep_page']}", filtered),
        ("search ru", f"/search?q={quote(SEARCH_RU)}"),
        ("search en", f"/search?q={quote(SEARCH_EN)}"),
        ("product", f"/product/{info['product_slug']}"),
    ]
    rows, failures = [], []
    print("The shop under uwsgi.ini, 2 workers ...", flush=True)
    try:
        for name, path in pages:
            target = "category p200" if name.startswith("category p") else name
            if args.only and target not in args.only:
                continue
            warm_up(shop.port, path, args)
            # Status, size and SQL of a warm request, like those of the load that follows
            # (tests/catalog/test_query_budget.py holds cold requests to the same budget).
            status, size, queries = measure_once(shop.port, path)
            if status != 200:
                failures.append(f"{name}: {path} answered {status}")
            stats = wrk(shop.port, path, args.duration, args.connections, args.threads)
            rows.append(_row(name, path, stats, size, queries, baseline))
            print(f"  {name:<14} {stats['rps']:8.0f} req/s", flush=True)

        try:
            if args.only and "cart flow" not in args.only:
                raise _Skipped
            rows.append(cart_flow(shop.port, pages[-1][1], info, args, baseline, failures))
            print(f"  {'cart flow':<14} {rows[-1]['rps']:8.0f} req/s", flush=True)
        except CartFlowUnavailable as exc:
            failures.append(f"cart flow: {exc}")
        except _Skipped:
            pass
        if not args.only or "category (shopper)" in args.only:
            try:
                rows.append(
                    shopper_page(shop.port, pages[-1][1], category, info, args, baseline, failures)
                )
                print(f"  {'category (shopper)':<14} {rows[-1]['rps']:8.0f} req/s", flush=True)
            except CartFlowUnavailable as exc:
                failures.append(f"category (shopper): {exc}")
        rss = shop.worker_rss_mb()
    finally:
        shop.stop()

    for row in rows:
        if row["status_errors"] or row["socket_errors"]:
            failures.append(
                f"{row['page']}: {row['status_errors']} HTTP errors, "
                f"{row['socket_errors']} socket errors"
            )
    result = {
        "engine": engine,
        "small": args.small,
        "catalogue": {k: info[k] for k in ("products", "variants", "orders", "users")},
        "load": load,
        "baseline": {
            "rps": baseline["rps"],
            "p50_ms": baseline["p50_us"] / 1000,
            "p99_ms": baseline["p99_us"] / 1000,
        },
        "pages": rows,
        "worker_rss_mb": rss,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": [load_at_start, load_average()],
    }
    missed = check_targets(result)
    table = render_markdown(result, missed)
    print()
    print(table)
    suffix = f"{engine}{'-small' if args.small else ''}{'-partial' if args.only else ''}"
    (OUT_DIR / f"results-{suffix}.json").write_text(json.dumps(result, indent=2))
    (OUT_DIR / f"results-{suffix}.md").write_text(table + "\n")
    if args.readme and not args.small:
        update_readme(engine, table)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    if failures or (args.strict and missed):
        return 1
    return 0


class _Skipped(Exception):
    """A row left out by --only."""


def update_readme(engine: str, table: str) -> None:
    """Put the table between README's `<!-- bench:<engine> -->` markers."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = f"<!-- bench:{engine} -->\n", f"<!-- /bench:{engine} -->"
    if start not in text or end not in text:
        print(f"README.md has no {start.strip()} markers; not updated", file=sys.stderr)
        return
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[engine]
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}**{title}** — {table}\n{end}{tail}")
    print(f"README.md: the {title} table is updated.")


def load_average() -> float:
    """The machine's 1-minute load average: other work on the machine skews every figure."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")


def _has_products(url, expected):
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM product")).scalar() == expected
    except Exception:  # noqa: BLE001 - no such table: build it
        return False
    finally:
        engine.dispose()


def _row(name, path, stats, size, queries, baseline):
    return {
        "page": name,
        "path": path,
        "rps": round(stats["rps"], 1),
        "p50_ms": stats["p50_us"] / 1000,
        "p99_ms": stats["p99_us"] / 1000,
        "bytes": size,
        "queries": queries,
        "queries_text": "?" if queries is None else str(queries),
        "ratio": stats["rps"] / baseline["rps"],
        "status_errors": stats["status_errors"],
        "socket_errors": stats["socket_errors"],
    }


def check_targets(result) -> list[str]:
    """Targets this run missed, in words (the small mode checks them too, for information)."""
    missed = []
    for row in result["pages"]:
        key = "category p200" if row["page"].startswith("category p") else row["page"]
        min_rps, max_p99 = TARGETS.get(key, (None, None))
        if min_rps and row["rps"] < min_rps:
            missed.append(f"{row['page']}: {row['rps']:.0f} req/s < {min_rps}")
        if max_p99 and row["p99_ms"] > max_p99:
            missed.append(f"{row['page']}: p99 {row['p99_ms']:.1f} ms > {max_p99} ms")
        if row["queries"] is not None and row["queries"] > MAX_QUERIES:
            missed.append(f"{row['page']}: {row['queries']} SQL queries > {MAX_QUERIES}")
    for mb in result["worker_rss_mb"]:
        if mb > MAX_RSS_MB:
            missed.append(f"worker RSS {mb:.0f} MB > {MAX_RSS_MB} MB")
    return missed


def render_markdown(result, missed) -> str:
    cat = result["catalogue"]
    load = result["load"]
    base = result["baseline"]
    recycle = "" if load.get("max_requests") is None else f", max-requests {load['max_requests']}"
    lines = [
        f"{result['engine']}, {cat['products']:,} products / {cat['variants']:,} variants / "
        f"{cat['orders']:,} orders / {cat['users']:,} users; uWSGI 2 workers x 2 threads"
        f"{recycle}; "
        f"wrk {load['connections']} connections, {load['duration']} s per page; "
        f"{result['when']}; load average {result['load_average'][0]:.1f} at the start, "
        f"{result['load_average'][1]:.1f} at the end ({os.cpu_count()} CPUs)",
        "",
        "| page | req/s | p50 ms | p99 ms | size KB | SQL/req | x baseline |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["pages"]:
        lines.append(
            f"| {row['page']} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['bytes'] / 1024:.1f} | {row['queries_text']} | {row['ratio']:.3f} |"
        )
    lines.append(
        f"| hello-world baseline | {base['rps']:.0f} | {base['p50_ms']:.1f} | "
        f"{base['p99_ms']:.1f} | | | 1.000 |"
    )
    lines.append("")
    rss = ", ".join(f"{mb:.0f} MB" for mb in result["worker_rss_mb"])
    lines.append(f"Worker RSS after the load: {rss}.")
    lines.append("Targets missed: " + "; ".join(missed) + "." if missed else "Every target met.")
    return "\n".join(lines)


def main(argv=None) -> int:
    return run(parse_args(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
