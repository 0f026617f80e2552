"""`make run` sends the demo's emails (issue 14.5: the thank-you page and registration said an
email was sent, but nothing sent the outbox under `make run`).

The server is started with exactly the settings `make run` gives uWSGI; a message written to
the outbox is then printed by the development mail backend within seconds.
"""

import re
import subprocess
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from tests.uwsgi_server import ROOT, serve_shop, shop_database


def make_run_settings() -> dict:
    """The SHOP_* assignments on the uWSGI line of `make run` (as make would run it)."""
    recipe = subprocess.run(
        ["make", "-s", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.replace("\\\n", " ")
    line = next(line for line in recipe.splitlines() if "uwsgi --ini uwsgi.ini" in line)
    settings = {}
    for name, value in re.findall(r"(SHOP_[A-Z_]+)=(\S+)", line):
        # ${NAME-default} / ${NAME:-default}: the default, as on a machine without them set
        match = re.fullmatch(r"\$\{[A-Z_]+:?-(.*)\}", value)
        settings[name] = match.group(1) if match else value
    return settings


def test_make_run_serves_with_the_mail_sender(tmp_path_factory):
    settings = make_run_settings()
    assert settings.get("SHOP_MULES") == "1", settings
    assert float(settings.get("SHOP_MAIL_SEND_INTERVAL", "10")) <= 5, settings
    with shop_database(tmp_path_factory, "demo_mail") as database_url, serve_shop(
        tmp_path_factory.mktemp("demo_mail"), database_url, processes=1, seed=False,
        env_overrides=settings,
    ) as server:
        engine = create_engine(database_url)
        try:
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO outbox_message (recipient, subject, body_text, locale, kind,"
                        " status, attempts, next_attempt_at, created_at)"
                        " VALUES ('shopper@example.com', 'Demo mail 7f3a', 'Hello', 'ru',"
                        " 'generic', 'pending', 0, :now, :now)"
                    ),
                    {"now": datetime.now(UTC).replace(tzinfo=None)},
                )
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with engine.connect() as conn:
                    status = conn.execute(
                        text("SELECT status FROM outbox_message WHERE subject = 'Demo mail 7f3a'")
                    ).scalar_one()
                if status == "sent":
                    break
                time.sleep(0.5)
            assert status == "sent"
            assert "Demo mail 7f3a" in server.log_path.read_text()  # the console backend
        finally:
            engine.dispose()
