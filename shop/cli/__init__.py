"""Command-line interface: `python manage.py seed-demo | create-admin | translate ...`.

Tools only the command line needs live in this package (the demo catalogue in `demo`, the
catalog tooling in `translations`): the running shop never imports them.

Flask-Migrate adds `db ...` itself. Commands print a clear message and exit non-zero on bad
input; they never leave a half-written change behind.
"""

import click
from flask import current_app
from flask.cli import with_appcontext

from shop.accounts.services import ensure_admin
from shop.cli.translations import translate
from shop.core.errors import DomainError
from shop.notifications.cli import mail as mail_commands


def register_commands(app):
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    app.cli.add_command(translate)
    app.cli.add_command(__import__("shop.orders.cli", fromlist=["orders"]).orders)
    app.cli.add_command(__import__("shop.payments.cli", fromlist=["payments"]).payments)
    app.cli.add_command(mail_commands)


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Fill the database with a bilingual demo catalogue (safe to run twice)."""
    # lazy: the demo catalogue (Pillow drawing included) loads only when seed-demo runs
    from shop.cli.demo import seed

    created = seed()
    if created:
        click.echo(
            "Demo catalogue: {categories} categories, {products} products, {variants} variants, "
            "{images} pictures, {delivery} delivery methods added.".format(**created)
        )
    else:
        click.echo("Demo catalogue already present; nothing added.")


@click.command("create-admin")
@click.argument("email")
@click.option("--password", required=True, help="At least 8 characters.")
@with_appcontext
def create_admin(email, password):
    """Create (or update) a back-office administrator with every staff role."""
    try:
        user, created = ensure_admin(email, password)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    verb = "Created" if created else "Updated"
    click.echo(f"{verb} administrator {user.email} (roles: admin, manager, warehouse).")
    if current_app.config.get("SHOP_CONFIG") == "production":
        click.echo("Log in at /account/login.")
