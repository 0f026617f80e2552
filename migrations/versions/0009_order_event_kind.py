"""Order events say what they are: `kind` (shop.orders.models.EventKind) and structured `data`.

Until now the shop's own events were told apart by their free-text note ("placed",
"paid: card", "unpaid in time: expired", "cancelled by the customer", "LATE PAYMENT: ...",
"late payment refunded (...)"), and the late-payment notes were parsed back by regex to show
them. This parses the stored notes once, here, into kind + data (the amount, currency,
provider and reference of a payment's event), and clears the note of the shop's own events;
staff's words stay in the note. No code path parses notes any more.

Downgrade writes the old notes back from kind + data, so the previous code reads them as before.

Revision ID: 0009_order_event_kind
Revises: 0008_search_shelves
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0009_order_event_kind"
down_revision = "0008_search_shelves"
branch_labels = None
depends_on = None

BATCH = 1000

# The notes the previous code wrote (shop.payments.services.flag_late_payment and
# refund_late_payment, shop.orders.services, shop.checkout.services).
LATE_PAYMENT = re.compile(
    r"^LATE PAYMENT: money arrived after the order was (?P<status>[a-z]+); refund it"
    r"\s*(?P<details>\(.*\))?$"
)
LATE_REFUND = re.compile(r"^late payment refunded\s*(?P<details>\(.*\))?$")
# " (<amount> <currency>, <provider> <reference>)" after a late payment's note
DETAILS = re.compile(
    r"^\((?P<amount>[0-9.]+) (?P<currency>[A-Z]{3}), (?P<provider>\S+) (?P<reference>\S+)\)$"
)
FIXED = {
    "placed": "placed",
    "cancelled by the customer": "cancelled_by_customer",
    "unpaid in time: expired": "expired",
}
PAID_PREFIX = "paid: "
LATE_PAYMENT_NOTE = "LATE PAYMENT: money arrived after the order was {status}; refund it"
LATE_REFUND_NOTE = "late payment refunded"


def _events(with_new_columns: bool):
    columns = [
        sa.column("id", sa.Integer),
        sa.column("from_status", sa.String),
        sa.column("to_status", sa.String),
        sa.column("note", sa.Text),
    ]
    if with_new_columns:
        columns += [sa.column("kind", sa.String), sa.column("data", sa.JSON(none_as_null=True))]
    return sa.table("order_event", *columns)


def upgrade():
    with op.batch_alter_table("order_event") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("data", sa.JSON(none_as_null=True), nullable=True))
    event = _events(with_new_columns=True)
    _rewrite(event, lambda row: dict(zip(("kind", "data", "note"), parse(row), strict=True)))
    with op.batch_alter_table("order_event") as batch:
        batch.alter_column("kind", existing_type=sa.String(length=30), nullable=False)


def downgrade():
    event = _events(with_new_columns=True)
    _rewrite(event, lambda row: {"note": old_note(row)})
    with op.batch_alter_table("order_event") as batch:
        batch.drop_column("data")
        batch.drop_column("kind")


def _rewrite(event, values_of) -> None:
    """Update every row with `values_of(row)`, a batch of rows at a time, in id order."""
    bind = op.get_bind()
    names = None
    last = 0
    while True:
        rows = bind.execute(
            sa.select(event).where(event.c.id > last).order_by(event.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        params = []
        for row in rows:
            values = values_of(row)
            names = names or sorted(values)
            params.append({"row_id": row.id, **{f"new_{k}": v for k, v in values.items()}})
        bind.execute(
            event.update()
            .where(event.c.id == sa.bindparam("row_id"))
            .values({name: sa.bindparam(f"new_{name}") for name in names}),
            params,
        )
        last = rows[-1].id


def parse(row) -> tuple[str, dict | None, str | None]:
    """(kind, data, note) of an event stored with the old free-text note."""
    note = row.note
    if row.from_status is None and note in (None, "placed"):
        return "placed", None, None  # the order's first event, written at checkout
    if note in FIXED:
        return FIXED[note], None, None
    if note and note.startswith(PAID_PREFIX):
        return "paid", {"provider": note[len(PAID_PREFIX):]}, None
    late = LATE_PAYMENT.match(note or "")
    if late:
        return "late_payment", payment_details(late["details"]), None
    refunded = LATE_REFUND.match(note or "")
    if refunded:
        return "late_payment_refunded", payment_details(refunded["details"]), None
    # Staff's words (with a status change or without one), or no note at all.
    kind = "note" if note and row.from_status == row.to_status else "status_changed"
    return kind, None, note


def payment_details(details: str | None) -> dict | None:
    """The payment facts of "(1280.00 RUB, card abc123)"; odd text is kept as it was."""
    if not details:
        return None
    found = DETAILS.match(details)
    if not found:
        return {"details": details}
    data = found.groupdict()
    if data["reference"] == "None":  # a payment without a reference, as str() wrote it
        data["reference"] = None
    return data


def old_note(row) -> str | None:
    """The note the previous code wrote for the event (downgrade)."""
    data = row.data or {}
    if row.kind == "placed":
        return "placed"
    if row.kind == "cancelled_by_customer":
        return "cancelled by the customer"
    if row.kind == "expired":
        return "unpaid in time: expired"
    if row.kind == "paid":
        return PAID_PREFIX + (data.get("provider") or "")
    if row.kind == "late_payment":
        return LATE_PAYMENT_NOTE.format(status=row.to_status) + _old_details(data)
    if row.kind == "late_payment_refunded":
        return LATE_REFUND_NOTE + _old_details(data)
    return row.note


def _old_details(data: dict) -> str:
    if data.get("amount") is not None:
        return (
            f" ({data['amount']} {data.get('currency')}, {data.get('provider')}"
            f" {data.get('reference')})"
        )
    return f" {data['details']}" if data.get("details") else ""
