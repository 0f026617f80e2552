"""A saved address gets the house and the flat as fields of their own, so the checkout and the
address book ask for the parts of an address one by one and check each (issue 18.4).

Addresses saved before keep their street text as it was typed (street, house and flat in one):
it is not split, since no rule tells reliably where a street's name ends and a house begins
("ул. 1-я Парковая, 5к2"); their house and flat stay empty and their line reads as before.

Revision ID: 0017_address_parts
Revises: 0016_image_colour
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_address_parts"
down_revision = "0016_image_colour"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("address") as batch:
        batch.add_column(sa.Column("house", sa.String(32), nullable=True))
        batch.add_column(sa.Column("flat", sa.String(16), nullable=True))


def downgrade():
    # The house and the flat go back into the street's text (in the Russian Post's words, cut
    # to the column's length), so no address loses them.
    address = sa.table(
        "address", sa.column("street", sa.String), sa.column("house", sa.String),
        sa.column("flat", sa.String),
    )
    for column, word in ((address.c.house, ", д. "), (address.c.flat, ", кв. ")):
        joined = sa.func.substr(address.c.street + word + column, 1, 255)
        op.execute(address.update().where(column.isnot(None)).values(street=joined))
    with op.batch_alter_table("address") as batch:
        batch.drop_column("flat")
        batch.drop_column("house")
