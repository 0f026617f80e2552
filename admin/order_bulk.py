"""Bulk status changes on the orders list: tick orders, choose "Mark as shipped" (or another
status), and every order that may make that move makes it.

Each order goes through `shop.orders.services.transition`, in its own transaction, exactly as
its page's button would: the allowed-moves table, the prepaid-needs-its-money rule, the event
in its timeline, the stock returned on a cancel, the shopper's email, the audit entry. An
order that may not move is skipped and named in the summary with the reason ("#123 cannot go
from Shipped to Processing"); the others are not held back by it.

The actions offered follow the roles of the order's page: the warehouse moves orders along
fulfilment (processing, shipped, delivered), managers and admins may also cancel. Marking paid
and refunding stay on the order's page: money moves by the payment, and a refund is decided
order by order.
"""

from flask import flash
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from admin.base import audit_record, current_actor, parse_ids
from shop.core.errors import DomainError, NotFound
from shop.extensions import db
from shop.orders.models import STATUS_LABELS, Order, OrderStatus
from shop.orders.services import AwaitingPayment, allowed_transitions, transition

S = OrderStatus
BULK_STATUSES = (S.PROCESSING, S.SHIPPED, S.DELIVERED, S.CANCELLED)
MAX_BULK = 500
SHOWN_SKIPS = 10  # reasons listed in the summary; the rest counted


def _label(status) -> str:
    try:
        return str(STATUS_LABELS[OrderStatus(status)])
    except (KeyError, ValueError):
        return str(status)


def skip_reason(order: Order, target: OrderStatus, error: DomainError | None = None) -> str:
    """Why `order` was not moved to `target`, in the reader's language."""
    if order.status == target.value:
        return _("#%(number)s is already %(status)s", number=order.number,
                 status=_label(target))
    if isinstance(error, AwaitingPayment):
        return _("#%(number)s is not paid yet", number=order.number)
    if target not in allowed_transitions(order.status) or error is None:
        return _("#%(number)s cannot go from %(from)s to %(to)s", number=order.number,
                 **{"from": _label(order.status), "to": _label(target)})
    return _("#%(number)s: %(reason)s", number=order.number, reason=str(error.message))


def move_orders(ids, target: OrderStatus, *, actor, note=None) -> tuple[list[Order], list[str]]:
    """Move each order of `ids` to `target` through `transition` (one transaction each, with
    its audit entry); returns (orders moved, reasons for those skipped). Unknown ids are
    skipped silently (deleted meanwhile)."""
    moved, skipped = [], []
    for order_id in parse_ids(ids)[:MAX_BULK]:
        order = db.session.get(Order, order_id)
        if order is None:
            continue
        from_status = order.status

        def audit(order, before, target=target):  # in the move's own transaction
            audit_record("status", "Order", order.id,
                         before={"status": str(before) if before else None},
                         after={"status": target.value, "bulk": True})

        if from_status == target.value or target not in allowed_transitions(from_status):
            skipped.append(skip_reason(order, target))
            continue
        try:
            transition(order_id, target, actor=actor, note=note, also=audit)
        except NotFound:
            continue
        except DomainError as exc:
            db.session.expire_all()
            order = db.session.get(Order, order_id)
            skipped.append(skip_reason(order, target, exc))
            continue
        moved.append(order)
    return moved, skipped


def _status_action(target: OrderStatus):
    confirmation = (
        _l("Cancel the selected orders? Their goods go back on sale and their customers are "
           "emailed.") if target == S.CANCELLED
        else _l("Move the selected orders to this status? Their customers are emailed where "
                "the status calls for it.")
    )

    @action(f"status_{target.value}", _l("Mark as %(status)s", status=STATUS_LABELS[target]),
            confirmation)
    def run(self, ids):
        return self.bulk_move(ids, target)

    return run


class BulkStatusMixin:
    """The list's status actions, for admin.orders.OrderView, which provides
    `may_move_to(status)`: whether the reader's role allows moving an order there."""

    action_status_processing = _status_action(S.PROCESSING)
    action_status_shipped = _status_action(S.SHIPPED)
    action_status_delivered = _status_action(S.DELIVERED)
    action_status_cancelled = _status_action(S.CANCELLED)

    def is_action_allowed(self, name):
        if name.startswith("status_"):
            try:
                target = OrderStatus(name.removeprefix("status_"))
            except ValueError:
                return False
            if target not in BULK_STATUSES or not self.may_move_to(target):
                return False
        return super().is_action_allowed(name)

    def bulk_move(self, ids, target: OrderStatus):
        moved, skipped = move_orders(ids, target, actor=current_actor())
        summary = ngettext("%(num)d order changed", "%(num)d orders changed", len(moved))
        if skipped:
            shown = "; ".join(skipped[:SHOWN_SKIPS])
            more = len(skipped) - SHOWN_SKIPS
            if more > 0:
                shown += "; " + ngettext("and %(num)d more", "and %(num)d more", more)
            summary = _("%(changed)s, %(skipped)s: %(reasons)s.", changed=summary,
                        skipped=ngettext("%(num)d skipped", "%(num)d skipped", len(skipped)),
                        reasons=shown)
        else:
            summary = _("%(changed)s.", changed=summary)
        flash(summary, "warning" if skipped else "success")
        return None
