"""Profile one storefront page in-process: where a request spends its time.

    python bench/profile_page.py DATABASE_URL PATH [REQUESTS] [--sort tottime|cumulative]

Builds the app as uWSGI would (SHOP_CONFIG=development against DATABASE_URL, e.g. the
benchmark's instance/bench/bench.db), warms it up, then runs the requests under cProfile and
prints the 35 costliest functions and the mean time per request.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv) -> int:
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
