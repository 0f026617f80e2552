"""`python manage.py payments reconcile`: compare our payments with the providers and orders."""

from datetime import timedelta

import click
from flask.cli import with_appcontext


@click.group("payments")
def payments():
    """Payment maintenance."""


@payments.command("reconcile")
@click.option(
    "--days",
    default=30,
    show_default=True,
    type=click.IntRange(min=1),
    help="Ask the providers about payments created in the last N days "
    "(the checks against our own orders cover every order).",
)
@with_appcontext
def reconcile(days):
    """List payments that disagree with their provider or their order, one line each.

    Exit code 0 when everything agrees, 1 when there is a mismatch (for cron or monitoring).
    Nothing is changed: refunds are made in the back office.
    """
    from shop.core.models import utcnow
    from shop.payments.reconcile import reconcile as find_mismatches

    mismatches = find_mismatches(since=utcnow() - timedelta(days=days))
    for mismatch in mismatches:
        click.echo(mismatch.line())
    if mismatches:
        click.echo(f"{len(mismatches)} mismatch(es) found.", err=True)
        raise SystemExit(1)
    click.echo("No mismatches: payments agree with the providers and the orders.")
