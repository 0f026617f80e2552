"""`python manage.py payments reconcile`: compare our payments with the providers and orders;
`python manage.py payments receipts --retry`: send the settlement receipts not sent yet."""

from datetime import timedelta

import click
from flask.cli import with_appcontext

from shop.core.models import utcnow
from shop.payments.reconcile import reconcile as find_mismatches
from shop.payments.settlement import receipts_to_send, retry_receipts


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
    mismatches = find_mismatches(since=utcnow() - timedelta(days=days))
    for mismatch in mismatches:
        click.echo(mismatch.line())
    if mismatches:
        click.echo(f"{len(mismatches)} mismatch(es) found.", err=True)
        raise SystemExit(1)
    click.echo("No mismatches: payments agree with the providers and the orders.")


@payments.command("receipts")
@click.option("--retry", is_flag=True, help="Send again the receipts not taken yet.")
@with_appcontext
def receipts(retry):
    """Settlement receipts (54-FZ) the provider has not taken yet; with --retry, send them.

    Exit code 0 when none is left unsent, 1 otherwise (for cron or monitoring).
    """
    if retry:
        sent, failed = retry_receipts()
        click.echo(f"{sent} receipt(s) sent, {failed} still failing.")
    left = receipts_to_send()
    for receipt in left:
        payment = receipt.payment
        click.echo(f"{payment.order.number} {payment.provider} {payment.provider_reference} "
                   f"{receipt.kind}: {receipt.status} after {receipt.attempts} attempt(s) "
                   f"({receipt.last_error or '-'})")
    if left:
        raise SystemExit(1)
    click.echo("Every receipt has been sent.")
