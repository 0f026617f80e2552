#!/usr/bin/env python
"""The shop's command line: `python manage.py --help` lists every command.

db ...                 migrations (Flask-Migrate / Alembic)
seed-demo              a bilingual demo catalogue (idempotent)
create-admin EMAIL     a back-office administrator (--password P)
translate ...          extract | update | compile | fill the message catalogs
"""

from flask.cli import FlaskGroup

from shop import create_app

cli = FlaskGroup(create_app=lambda: create_app(), help=__doc__)

if __name__ == "__main__":
    cli()
