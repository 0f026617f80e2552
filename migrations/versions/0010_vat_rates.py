"""VAT rates: per product and per delivery method, copied onto order lines and the order's
delivery at checkout; fiscal_receipt, the settlement receipts sent at hand-over (issue 17,
54-FZ receipts).

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
    op.create_table(
        "fiscal_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("provider_reference", sa.String(length=64), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payment.id"],
            name=op.f("fk_fiscal_receipt_payment_id_payment"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fiscal_receipt")),
        sa.UniqueConstraint("payment_id", "kind", name="uq_fiscal_receipt_payment_kind"),
    )
    with op.batch_alter_table("fiscal_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fiscal_receipt_payment_id"), ["payment_id"])
        batch_op.create_index(batch_op.f("ix_fiscal_receipt_status"), ["status"])


def downgrade():
    op.drop_table("fiscal_receipt")
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
