"""VAT rates: per product and per delivery method, copied onto order lines and the order's
delivery at checkout (issue 17, 54-FZ receipts).

Every existing row gets 22, the rate in force since 2026-01-01 (shop.core.vat.VatRate): the
shop's prices were VAT-inclusive at the standard rate before rates could be chosen.

Revision ID: 0010_vat_rates
Revises: 0009_order_event_kind
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_vat_rates"
down_revision = "0009_order_event_kind"
branch_labels = None
depends_on = None

COLUMNS = (
    ("product", "vat_rate"),
    ("delivery_method", "vat_rate"),
    ("order_line", "vat_rate"),
    ("order", "delivery_vat_rate"),
)


def upgrade():
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(column, sa.String(length=8), nullable=False, server_default="22")
            )


def downgrade():
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
