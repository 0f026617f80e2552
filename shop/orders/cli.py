"""`python manage.py orders expire`: cancel card orders left unpaid past their deadline."""

import click
from flask.cli import with_appcontext

from shop.orders.services import expire_unpaid


@click.group("orders")
def orders():
    """Order maintenance."""


@orders.command("expire")
@with_appcontext
def expire():
    """Cancel unpaid card orders older than CARD_ORDER_TTL_MINUTES and return their stock.

    Safe to run from several places at once: each order is cancelled by exactly one run.
    """
    count = expire_unpaid()
    click.echo(f"Expired {count} unpaid order(s).")
