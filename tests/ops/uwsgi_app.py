"""The shop as uWSGI serves it, plus two test-only endpoints (never part of the real app):

/__ops_test/pid            answers with the worker's pid
/__ops_test/hold/<name>    writes <SHOP_OPS_TEST_DIR>/<name>.entered (with its pid), then waits
                           until <name>.release exists: a request that is "in flight" for
                           exactly as long as the test wants, with no timing involved.
"""

import os
import time

from shop import create_app

app = create_app()
FOLDER = os.environ["SHOP_OPS_TEST_DIR"]


@app.get("/__ops_test/pid")
def pid():
    return str(os.getpid())


@app.get("/__ops_test/hold/<name>")
def hold(name):
    with open(os.path.join(FOLDER, f"{name}.entered"), "w") as handle:
        handle.write(str(os.getpid()))
    release = os.path.join(FOLDER, f"{name}.release")
    deadline = time.monotonic() + 60  # a safety net for a broken test, not a timing
    while not os.path.exists(release) and time.monotonic() < deadline:
        time.sleep(0.05)
    return f"released {os.getpid()}"
