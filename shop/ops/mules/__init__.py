"""Background loops run as uWSGI mules (uwsgi.ini, when SHOP_MULES=1), or by cron/systemd.

A mule is a process the uWSGI master starts and restarts; each mule here loads the app once and
runs one management command again and again (`mail send`, `orders expire`). The commands are
idempotent and take their rows with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so the same mules
may run on every node at once. SIGTERM (a stop or a reload) is honoured between two runs,
never in the middle of one.
"""

import logging
import os
import signal
import threading
import time

from shop import create_app

log = logging.getLogger("shop.ops.mules")


def run_forever(args: list[str], every_seconds: float) -> None:
    """Run `python manage.py <args>` in this process every `every_seconds` until SIGTERM."""
    from flask.cli import ScriptInfo

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, lambda *_: stop.set())
    app = create_app(migrations=False)  # runs the outbox and expiry commands, never `db`
    info = ScriptInfo(create_app=lambda: app)
    log.info("mule started: %s every %ss (pid %s)", " ".join(args), every_seconds, os.getpid())
    while not stop.is_set():
        started = time.monotonic()
        try:
            app.cli.main(args=list(args), obj=info, prog_name="manage.py",
                         standalone_mode=False)
        except SystemExit as exc:
            if exc.code:
                log.error("mule: %s exited with %s", " ".join(args), exc.code)
        except Exception:  # noqa: BLE001 - log and try again next round; never die in a loop
            log.exception("mule: %s failed", " ".join(args))
        stop.wait(max(every_seconds - (time.monotonic() - started), 1.0))
    log.info("mule stopped: %s", " ".join(args))
