"""`python manage.py mail send | worker`: deliver the outbox."""

import click
from flask.cli import with_appcontext


@click.group("mail")
def mail():
    """Deliver the emails waiting in the outbox."""


@mail.command("send")
@with_appcontext
def send():
    """Send every due message once, then exit."""
    from shop.notifications.sender import send_due, stuck_count

    report = send_due()
    click.echo(
        f"Sent {len(report.sent)}, will retry {len(report.retrying)}, "
        f"failed for good {len(report.failed)}."
    )
    stuck = stuck_count()
    if stuck:
        click.echo(
            f"{stuck} message(s) were being sent when a worker stopped; check them by hand "
            "(status 'sending') so nothing is sent twice."
        )


@mail.command("worker")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=5.0,
    show_default=True,
    help="Seconds between passes.",
)
@click.option(
    "--passes",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after this many passes (default: run until interrupted).",
)
@with_appcontext
def worker(interval, passes):
    """Keep sending due messages every INTERVAL seconds."""
    import logging

    from shop.notifications.sender import run_worker

    logging.basicConfig(level=logging.INFO)
    click.echo(f"Mail worker: a pass every {interval:g}s; Ctrl+C to stop.")
    try:
        run_worker(interval, stop_after=passes)
    except KeyboardInterrupt:
        click.echo("Mail worker stopped.")
