"""Refunds by line and shoppers' returns (issue 17.3): refund, refund_line, return_request,
return_line.

Order statuses and event kinds are strings: the new "partly_refunded" status and the refund and
return event kinds need no change of their columns.

Revision ID: 0011_refunds_returns
Revises: 0009_order_event_kind
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_refunds_returns"
down_revision = "0009_order_event_kind"
branch_labels = None
depends_on = None

INDEXES = {
    "return_request": ("order_id", "status"),
    "return_line": ("return_id", "order_line_id"),
    "refund": ("order_id", "payment_id", "return_id", "status", "actor_id"),
    "refund_line": ("refund_id", "order_line_id"),
}


def _timestamps():
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade():
    op.create_table(
        "return_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("staff_comment", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_return_request_order_id_order"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_request")),
    )
    op.create_table(
        "return_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_return_line_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_line.id"],
            name=op.f("fk_return_line_order_line_id_order_line"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["return_id"], ["return_request.id"],
            name=op.f("fk_return_line_return_id_return_request"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_line")),
    )
    op.create_table(
        "refund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("return_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("restock", sa.Boolean(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("amount > 0", name=op.f("ck_refund_amount_positive")),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["user.id"], name=op.f("fk_refund_actor_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_refund_order_id_order"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payment.id"], name=op.f("fk_refund_payment_id_payment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["return_id"], ["return_request.id"],
            name=op.f("fk_refund_return_id_return_request"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_refund_idempotency_key")),
    )
    op.create_table(
        "refund_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("refund_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_refund_line_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["order_line_id"], ["order_line.id"],
            name=op.f("fk_refund_line_order_line_id_order_line"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["refund_id"], ["refund.id"], name=op.f("fk_refund_line_refund_id_refund"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_line")),
    )
    for table, columns in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.create_index(
                    batch_op.f(f"ix_{table}_{column}"), [column], unique=False
                )


def downgrade():
    for table in ("refund_line", "refund", "return_line", "return_request"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in INDEXES[table]:
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
