"""Staff change an order before it leaves the warehouse (issue 19.3): quantities, lines removed
or added, the delivery method and the address.

Which orders: new, paid and processing ones (EDITABLE). A shipped or delivered order is with the
carrier or the customer (a return handles it then); a cancelled or refunded one is closed.

One edit is one transaction, all or nothing, under the order's row lock (SELECT ... FOR
UPDATE, as refunds and payments take it), checked against the version staff saw (the order's
`updated_at`): two people editing at once cannot overwrite each other. In it:

- stock moves through the ledger (`shop.inventory.services.apply_delta`, reason EDIT): the
  guarded update that checkout uses, so an edit never takes units someone else has just
  bought; variants in id order and the products' listing rows after the last one (the
  inventory's lock order, no deadlock with a checkout);
- the lines keep their snapshots (name, SKU, unit price, VAT rate); a new line takes the
  variant's current price and its product's VAT rate, named in the order's language;
- the totals are recomputed: subtotal, the delivery price by the method's rules
  (shop.shipping: free from an amount) whenever the method or the subtotal changes, total;
- the money is settled by whoever listens to `signals.order_edited` (shop.payments.edits: a
  refund of the difference, or an attempt for the extra amount); orders never imports payments;
- an OrderEvent EDITED with what changed (`data`, read as a sentence by `edit_label`) and
  staff's reason, an audit entry with the values before and after, and an email to the
  customer (outbox, in their language) saying what changed and what it means for the money.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from shop.audit import services as audit
from shop.catalog import attributes
from shop.catalog.models import ProductVariant, refresh_summaries
from shop.core.errors import DomainError, NotFound, ValidationFailed
from shop.core.models import utcnow
from shop.core.urls import public_url_for
from shop.extensions import db
from shop.inventory.models import StockReason
from shop.inventory.services import InsufficientStock, apply_delta
from shop.orders import signals
from shop.orders.models import EventKind, Order, OrderEvent, OrderLine, OrderStatus
from shop.orders.services import get_order, guest_token, queue_order_email, shopper_language
from shop.shipping.models import DeliveryMethod

S = OrderStatus
EDITABLE = (S.NEW.value, S.PAID.value, S.PROCESSING.value)
MAX_QUANTITY = 999  # units of one line
MAX_LINES = 100
ADDRESS_MAX = 500
REASON_MAX = 1000

class NotEditable(DomainError):
    message = _l(
        "This order can no longer be changed: it has been shipped, delivered, cancelled or "
        "refunded."
    )


class OrderChanged(DomainError):
    message = _l(
        "Someone changed this order while you were editing it: nothing was saved. Check the "
        "order and make your changes again."
    )


class OutOfStockForEdit(DomainError):
    message = _l("Not enough stock: nothing was changed.")


@dataclass
class Edit:
    """What staff asked for. `quantities`: {order line id: new units, 0 removes the line};
    `added`: {variant id: units}; `delivery_method_id` / `address`: None keeps the order's."""

    quantities: dict = field(default_factory=dict)
    added: dict = field(default_factory=dict)
    delivery_method_id: int | None = None
    address: str | None = None
    reason: str | None = None


@dataclass
class Plan:
    """The order as the edit leaves it, worked out before anything is written."""

    lines: list  # [(OrderLine or None, variant or None, new units)]
    changes: list  # [{"sku", "name", "before", "after"}]
    stock: dict  # {variant id: units to take (>0) or put back (<0)}
    refund_parts: list  # [(order line id or None, units, amount)] taken off
    subtotal: Decimal
    method: DeliveryMethod | None
    method_changed: bool
    delivery_price: Decimal
    address: str | None
    address_changed: bool

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.delivery_price

    @property
    def empty(self) -> bool:
        return not (self.changes or self.method_changed or self.address_changed)


def is_editable(order: Order) -> bool:
    return order.status in EDITABLE


def version_of(order: Order) -> str:
    """What the edit form carries to tell a stale page: the order's last change."""
    return (order.updated_at or order.created_at).isoformat()


def _whole(value, message) -> int:
    if isinstance(value, bool):
        raise ValidationFailed(message)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(message) from None
    if number < 0 or number > MAX_QUANTITY:
        raise ValidationFailed(message)
    return number


QUANTITY_MESSAGE = _l("Quantities must be whole numbers from 0 to %(num)d.", num=MAX_QUANTITY)


def _clean(edit: Edit) -> Edit:
    """The edit with whole numbers and trimmed text; ValidationFailed for nonsense."""
    quantities = {}
    for line_id, units in (edit.quantities or {}).items():
        quantities[_whole(line_id, _l("This item is not in the order."))] = _whole(
            units, QUANTITY_MESSAGE)
    added = {}
    for variant_id, units in (edit.added or {}).items():
        variant_id = _whole_id(variant_id)
        units = _whole(units, QUANTITY_MESSAGE)
        if units:
            added[variant_id] = added.get(variant_id, 0) + units
    if len(quantities) + len(added) > MAX_LINES:
        raise ValidationFailed(_l("Too many lines in one order."))
    method_id = edit.delivery_method_id
    if method_id not in (None, ""):
        method_id = _whole_id(method_id, _l("Choose a delivery method from the list."))
    else:
        method_id = None
    address = edit.address
    if address is not None:
        address = " ".join(str(address).split())
        if len(address) > ADDRESS_MAX or "\x00" in address:
            raise ValidationFailed(
                _l("The address is too long: at most %(num)d characters.", num=ADDRESS_MAX))
    reason = (edit.reason or "").strip() or None
    if reason is not None and (len(reason) > REASON_MAX or "\x00" in reason):
        raise ValidationFailed(
            _l("The reason is too long: at most %(num)d characters.", num=REASON_MAX))
    return Edit(quantities, added, method_id, address, reason)


def _whole_id(value, message=None) -> int:
    message = message or _l("This item does not exist.")
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(message) from None
    if number <= 0 or isinstance(value, bool):
        raise ValidationFailed(message)
    return number


def _variant_for_sale(variant_id: int) -> ProductVariant:
    variant = db.session.get(ProductVariant, variant_id)
    if variant is None or not variant.active or variant.product is None \
            or not variant.product.active:
        raise ValidationFailed(_l("This item is not on sale."))
    return variant


def _plan(order: Order, edit: Edit) -> Plan:
    """Work the edit out against the order (no writes). Raises ValidationFailed."""
    lines = {line.id: line for line in order.lines}
    for line_id in edit.quantities:
        if line_id not in lines:
            raise ValidationFailed(_l("This item is not in the order."))
    kept, changes, stock, refund_parts = [], [], {}, []
    for line in order.lines:
        units = edit.quantities.get(line.id, line.quantity)
        if units != line.quantity:
            changes.append({"sku": line.sku, "name": line.product_name,
                            "before": line.quantity, "after": units})
            if line.variant_id is not None:
                stock[line.variant_id] = stock.get(line.variant_id, 0) + units - line.quantity
            if units < line.quantity:
                taken_off = line.quantity - units
                refund_parts.append((line.id, taken_off, line.unit_price * taken_off))
        if units:
            kept.append((line, None, units))
    for variant_id, units in sorted(edit.added.items()):
        variant = _variant_for_sale(variant_id)
        same = next((entry for entry in kept if entry[0] is not None
                     and entry[0].variant_id == variant_id
                     and entry[0].unit_price == variant.price), None)
        if same is not None:  # more of a line sold at today's price: the same line
            line = same[0]
            before = same[2]
            kept[kept.index(same)] = (line, None, before + units)
            if before + units > MAX_QUANTITY:
                raise ValidationFailed(QUANTITY_MESSAGE)
            change = next((c for c in changes if c["sku"] == line.sku), None)
            if change is None:
                changes.append({"sku": line.sku, "name": line.product_name,
                                "before": line.quantity, "after": before + units})
            else:
                change["after"] = before + units
        else:
            kept.append((None, variant, units))
            changes.append({"sku": variant.sku, "name": variant.product.name_ru,
                            "before": 0, "after": units})
        stock[variant_id] = stock.get(variant_id, 0) + units
    if not kept:
        raise ValidationFailed(
            _l("An order needs at least one item: cancel the order instead of removing all."))
    subtotal = sum(
        ((line.unit_price if line is not None else variant.price) * units
         for line, variant, units in kept),
        Decimal("0"),
    )
    method, method_changed = order.delivery_method, False
    if edit.delivery_method_id is not None and edit.delivery_method_id != order.delivery_method_id:
        method = db.session.get(DeliveryMethod, edit.delivery_method_id)
        if method is None or not method.active:
            raise ValidationFailed(_l("Choose a delivery method from the list."))
        method_changed = True
    address = order.shipping_address
    if edit.address is not None:
        address = edit.address or None
    needs_address = method.needs_address if method is not None else bool(order.shipping_address)
    if not needs_address:
        address = None
    elif not address:
        raise ValidationFailed(_l("Enter a delivery address."))
    address_changed = (address or None) != (order.shipping_address or None)
    delivery_price = Decimal(order.delivery_price)
    if method is not None and (method_changed or subtotal != order.subtotal):
        # The method's rules for the new goods total (free from an amount); a method switched
        # off since checkout keeps the price it was sold at.
        if method_changed or method.active:
            delivery_price = method.price_for(subtotal)
    if delivery_price < order.delivery_price:
        refund_parts.append((None, 1, Decimal(order.delivery_price) - delivery_price))
    return Plan(kept, changes, stock, refund_parts, subtotal, method, method_changed,
                Decimal(delivery_price), address, address_changed)


def preview(order_id, edit: Edit) -> tuple[Order, Plan]:
    """The order and what `edit` would make of it, without writing anything (the edit page's
    "check the totals"). Raises NotFound, NotEditable, ValidationFailed."""
    order = get_order(order_id)
    if not is_editable(order):
        raise NotEditable()
    plan = _plan(order, _clean(edit))
    db.session.rollback()
    return order, plan


def _lock(order_id) -> Order:
    order = db.session.scalar(
        select(Order).where(Order.id == order_id).with_for_update()
        .execution_options(populate_existing=True)
    )
    if order is None:
        raise NotFound(_l("Order not found."))
    return order


def edit_order(order_id, edit: Edit, *, actor=None, ip=None, version: str | None = None) -> dict:
    """Apply `edit` to the order; commits. Returns the edit's event data (what changed, the
    totals, what was done about the money).

    `version`: `version_of(order)` as the form showed it; another means someone changed the
    order meanwhile. Raises NotFound, NotEditable, OrderChanged, ValidationFailed (nonsense
    numbers, a line of another order, an item not on sale, no address for a delivery that
    needs one, nothing left, nothing changed), OutOfStockForEdit (`details["sku"]`,
    `details["available"]`), and what a money receiver raises (the payment provider refused or
    did not answer a refund). On any error nothing is written.
    """
    edit = _clean(edit)
    get_order(order_id)  # NotFound for nonsense ids before a transaction is taken
    try:
        order = _lock(int(order_id))
        if not is_editable(order):
            raise NotEditable()
        if version is not None and version != version_of(order):
            raise OrderChanged()
        plan = _plan(order, edit)
        if plan.empty:
            raise ValidationFailed(_l("Nothing was changed."))
        actor_id = getattr(actor, "id", actor)
        _move_stock(order, plan.stock, actor_id)
        before = _summary(order)
        number = 1 + (db.session.scalar(
            select(func.count(OrderEvent.id)).where(
                OrderEvent.order_id == order.id, OrderEvent.kind == EventKind.EDITED.value)
        ) or 0)
        money = None
        for _receiver, answer in signals.order_edited.send(
            order, new_total=plan.total, refund_parts=plan.refund_parts,
            key=f"edit-{order.number}-{number}",
        ):
            money = answer or money
        _apply(order, plan)
        data = {
            "lines": plan.changes,
            "totals": {"before": before["total"], "after": str(order.total)},
            "currency": order.currency,
        }
        if plan.method_changed:
            data["delivery"] = {"before": before["delivery_method_name"],
                                "after": order.delivery_method_name}
        if plan.address_changed:
            data["address"] = True
        if money:
            data["money"] = money
        db.session.add(OrderEvent(
            order_id=order.id, from_status=order.status, to_status=order.status,
            actor_id=actor_id, kind=EventKind.EDITED.value, data=data, note=edit.reason,
        ))
        audit.record("edit", "Order", order.id, actor=actor, ip=ip,
                     before=before, after={**_summary(order), "reason": edit.reason})
        pay_link = _pay_link(order) if (money or {}).get("action") == "extra" else None
        queue_order_email(order, "order_changed", locale=shopper_language(order),
                          change=data, money=money or {}, pay_link=pay_link)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return data


def _pay_link(order: Order) -> str:
    """Where the customer pays what an edit added: payments' "go to payment" page (by its
    endpoint's name: orders imports nothing of payments), the guest's through the signed link."""
    if order.user_id is not None:
        return public_url_for("payments.go", number=order.number)
    return public_url_for("payments.go_guest", token=guest_token(order))


def _move_stock(order: Order, deltas: dict, actor_id) -> None:
    """Take (or put back) the units the edit changes, in variant id order; products' listing
    rows after the last variant (see `shop.inventory.services.take_for_order`)."""
    products = set()
    for variant_id in sorted(deltas):
        delta = deltas[variant_id]
        if not delta:
            continue
        try:
            apply_delta(variant_id, -delta, StockReason.EDIT, actor_id=actor_id,
                        order_id=order.id, note=order.number, refreshed=products)
        except (InsufficientStock, NotFound):
            variant = db.session.get(ProductVariant, variant_id)
            sku = variant.sku if variant is not None else str(variant_id)
            available = db.session.scalar(
                select(ProductVariant.stock).where(ProductVariant.id == variant_id)) or 0
            raise OutOfStockForEdit(
                _l("Not enough stock of %(sku)s: %(num)d more available. Nothing was changed.",
                   sku=sku, num=max(available, 0)),
                sku=sku, available=available,
            ) from None
    if products:
        refresh_summaries(db.session.connection(), products)


def _summary(order: Order) -> dict:
    """What the audit log keeps of an order's contents, as a person reads it."""
    return {
        "lines": "; ".join(f"{line.sku} × {line.quantity}" for line in order.lines),
        "delivery_method_name": order.delivery_method_name,
        "shipping_address": order.shipping_address,
        "subtotal": str(order.subtotal),
        "delivery_price": str(order.delivery_price),
        "total": str(order.total),
    }


def _apply(order: Order, plan: Plan) -> None:
    """Write the plan into the order's rows (no commit)."""
    kept = {id(line) for line, _variant, _units in plan.lines if line is not None}
    for line in list(order.lines):
        if id(line) not in kept:
            order.lines.remove(line)  # delete-orphan
    for line, variant, units in plan.lines:
        if line is None:
            line = _new_line(order, variant)
            order.lines.append(line)
        line.quantity = units
        line.line_total = line.unit_price * units
    order.subtotal = plan.subtotal
    if plan.method_changed:
        method = plan.method
        order.delivery_method_id = method.id
        order.delivery_method_name = (method.name_en or method.name_ru) \
            if order.locale == "en" else method.name_ru
        order.delivery_vat_rate = method.vat_rate
    order.delivery_price = plan.delivery_price
    order.shipping_address = plan.address
    order.total = plan.total
    order.updated_at = utcnow()
    db.session.flush()


def _new_line(order: Order, variant: ProductVariant) -> OrderLine:
    """A line for `variant` at today's price, named in the order's language as checkout does."""
    product = variant.product
    with force_locale(order.locale or "ru"):
        label = attributes.variant_label(variant)
    return OrderLine(
        variant_id=variant.id,
        product_name=(product.name_en or product.name_ru) if order.locale == "en"
        else product.name_ru,
        variant_label=label or None,
        sku=variant.sku,
        unit_price=variant.price,
        quantity=1,
        line_total=variant.price,
        vat_rate=product.vat_rate,
    )


def variants_by_id(ids) -> list[ProductVariant]:
    """The variants of these ids (whole numbers only; others are ignored), for the edit page's
    rows of items being added."""
    wanted = [i for i in ids if isinstance(i, int) and not isinstance(i, bool) and i > 0]
    if not wanted:
        return []
    return list(db.session.scalars(
        select(ProductVariant).where(ProductVariant.id.in_(wanted)).order_by(ProductVariant.id)
    ))


def record_extra_payment(order: Order, *, provider: str, amount, currency: str,
                         reference) -> None:
    """The customer paid the difference an edit asked for (no commit; called by
    shop.payments with the order row locked): an event in the timeline, status kept."""
    db.session.add(OrderEvent(
        order_id=order.id, from_status=order.status, to_status=order.status,
        kind=EventKind.EXTRA_PAID.value,
        data={"provider": provider, "amount": str(amount), "currency": currency,
              "reference": reference},
    ))

