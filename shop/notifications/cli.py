"""`python manage.py mail send | worker`: deliver the outbox."""

import click
from flask.cli import with_appcontext

from shop.notifications.sender import requeue as do_requeue
from shop.notifications.sender import run_worker, send_due, stuck_count


@click.group("mail")
def mail():
    """Deliver the emails waiting in the outbox."""


@mail.command("send")
@with_appcontext
def send():
    """Send every due message once, then exit."""
    report = send_due()
    click.echo(
        f"Sent {len(report.sent)}, will retry {len(report.retrying)}, "
        f"failed for good {len(report.failed)}."
    )
    stuck = stuck_count()
    if stuck:
        click.echo(
            f"{stuck} message(s) were being sent when a worker stopped; check them by hand "
            "(status 'sending') so nothing is sent twice; `mail requeue --stuck-minutes N` "
            "puts them back in the queue."
        )


@mail.command("requeue")
@click.option("--failed", is_flag=True, help="Messages that ran out of attempts.")
@click.option(
    "--stuck-minutes",
    type=click.IntRange(min=1),
    default=None,
    help="Messages left in 'sending' for longer than this (a worker died).",
)
@with_appcontext
def requeue(failed, stuck_minutes):
    """Put failed or stuck messages back in the queue."""
    if not failed and stuck_minutes is None:
        raise click.UsageError("Say what to requeue: --failed and/or --stuck-minutes N.")
    click.echo(f"Requeued {do_requeue(failed=failed, stuck_minutes=stuck_minutes)} message(s).")


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

    logging.basicConfig(level=logging.INFO)
    click.echo(f"Mail worker: a pass every {interval:g}s; Ctrl+C to stop.")
    try:
        run_worker(interval, stop_after=passes)
    except KeyboardInterrupt:
        click.echo("Mail worker stopped.")
