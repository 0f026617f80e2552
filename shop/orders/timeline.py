"""The shopper's status timeline of an order: its steps, built from the order's events.

The usual way is placed → paid → processing → shipped → delivered (cash on delivery skips
"paid": its money comes at the door). A cancelled or refunded order ends on that branch
instead. Each step is done (with the date it was reached), the current one, or still to come.

Only the statuses the events moved the order to are read, never staff's words (`note`) nor the
kinds that say something only staff should see (late payments, notes): the shopper sees where
the order is, not what staff wrote about it.
"""

from dataclasses import dataclass
from datetime import datetime

from shop.orders.models import KIND_LABELS, EventKind, Order, OrderStatus, PaymentMethod

S = OrderStatus
MAIN_WAY = (S.NEW, S.PAID, S.PROCESSING, S.SHIPPED, S.DELIVERED)
# Statuses that end an order's usual way: shown after the steps it had reached.
BRANCHES = (S.CANCELLED, S.PARTLY_REFUNDED, S.REFUNDED)
# Events that never move an order in the shopper's eyes (staff's and the payments' own).
UNSEEN_KINDS = {EventKind.NOTE, EventKind.LATE_PAYMENT, EventKind.LATE_PAYMENT_REFUNDED}

DONE, CURRENT, UPCOMING = "done", "current", "upcoming"


@dataclass(frozen=True)
class Step:
    status: OrderStatus
    state: str  # DONE, CURRENT or UPCOMING
    when: datetime | None  # when the order got there (None for a step to come)

    @property
    def label(self) -> str:
        if self.status == S.NEW:  # what the shopper did, not the status's name ("New")
            return str(KIND_LABELS[EventKind.PLACED])
        return str(self.status.label)


def _reached(order: Order) -> dict[OrderStatus, datetime]:
    """The first moment the order reached each status, from its events."""
    reached = {S.NEW: order.created_at}
    for event in order.events:
        if event.kind == EventKind.PLACED:
            reached[S.NEW] = event.created_at or order.created_at
            continue
        if event.kind in UNSEEN_KINDS or event.from_status == event.to_status:
            continue
        try:
            status = OrderStatus(event.to_status)
        except ValueError:
            continue
        reached.setdefault(status, event.created_at)
    return reached


def status_timeline(order: Order) -> list[Step]:
    """The order's steps in order, the current one marked (see the module's docstring)."""
    try:
        status = OrderStatus(order.status)
    except ValueError:
        return []
    reached = _reached(order)
    cash = order.payment_method == PaymentMethod.CASH.value
    way = [s for s in MAIN_WAY if not (s == S.PAID and cash and S.PAID not in reached)]
    if status in way:
        here = way.index(status)
        steps = [Step(s, DONE, reached.get(s)) for s in way[:here] if s in reached]
        steps.append(Step(status, CURRENT, reached.get(status)))
        steps += [Step(s, UPCOMING, None) for s in way[here + 1:]]
        return steps
    # A branch: the usual steps it had reached, then the branch's own, the last one current.
    steps = [Step(s, DONE, reached[s]) for s in way if s in reached]
    branch = sorted((s for s in BRANCHES if s in reached and s != status),
                    key=lambda s: reached[s])
    steps += [Step(s, DONE, reached[s]) for s in branch]
    steps.append(Step(status, CURRENT, reached.get(status)))
    return steps

