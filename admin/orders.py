"""Orders in the back office: list, detail, status buttons, staff notes, packing slip, CSV.

Status changes go through `shop.orders.services.transition`, which checks the allowed moves,
records the OrderEvent with the staff member and emails the shopper. Warehouse staff may only
move an order along fulfilment (processing, shipped, delivered); managers and admins may also
cancel or refund. A prepaid (card) order is not offered fulfilment until its payment has
succeeded, and the page says why; the service refuses the move anyway.

Money that arrived after its order was cancelled (or a second payment of a paid order) is
shown as awaiting a refund, with a button for managers that refunds it through
`shop.payments.services.refund_late_payment`.
"""

from datetime import date

from flask import Response, abort, flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.orm import selectinload
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from admin.base import (
    ALL_STAFF,
    MANAGERS,
    StaffModelView,
    audit_record,
    client_ip,
    current_actor,
    has_any_role,
    parse_id,
)
from admin.order_bulk import BulkStatusMixin
from admin.order_documents import OrderDocumentsMixin
from admin.order_edit import OrderEditMixin
from admin.phone_order import PhoneOrderMixin
from admin.returns import order_panel
from admin.widgets import nowrap
from shop.checkout.phone import may_send_payment_link
from shop.core.errors import DomainError, NotFound
from shop.core.money import format_money
from shop.extensions import db
from shop.orders.models import STATUS_LABELS, Order, OrderStatus, PaymentMethod
from shop.orders.services import (
    allowed_transitions,
    export_orders_csv,
    payment_blocks,
    save_staff_note,
    transition,
)
from shop.payments.models import Payment, PaymentStatus
from shop.payments.providers import PROVIDERS
from shop.payments.services import refund_ids, refund_late_payment

FULFILMENT = {OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED}
PAYMENT_STATUS_LABELS = {
    PaymentStatus.PENDING: _l("Awaiting payment"),
    PaymentStatus.SUCCEEDED: _l("Payment received"),
    PaymentStatus.FAILED: _l("Payment failed"),
    PaymentStatus.REFUNDED: _l("Payment refunded"),
    PaymentStatus.CANCELLED: _l("Payment cancelled"),
    PaymentStatus.NEEDS_REFUND: _l("Received late: to refund"),
}


# Staff tell the test gateway's card from YooKassa's, which shoppers both see as "Bank card".
STAFF_METHOD_LABELS = {
    PaymentMethod.CARD: _l("Bank card (test gateway)"),
    PaymentMethod.YOOKASSA_CARD: _l("Bank card (YooKassa)"),
}


def staff_method_label(code) -> str:
    """A payment method's name in the back office (list, filter): distinct for every method."""
    try:
        method = PaymentMethod(code)
    except ValueError:
        return str(code)
    return str(STAFF_METHOD_LABELS.get(method, method.label))


def provider_label(code: str) -> str:
    provider = PROVIDERS.get(code)
    return str(provider.label) if provider is not None else code


def staff_may_move_to(status) -> bool:
    """Whether the current staff member's role allows moving an order to `status`."""
    if has_any_role(*MANAGERS):
        return True
    return has_any_role("warehouse") and OrderStatus(status) in FULFILMENT


class StatusForm(FlaskForm):
    to_status = HiddenField()
    note = TextAreaField(_l("Note for the timeline"), validators=[Optional(), Length(max=1000)])


class RefundForm(FlaskForm):
    """Only the CSRF token: the payment is in the URL."""


class StaffNoteForm(FlaskForm):
    staff_note = TextAreaField(_l("Staff note"), validators=[Optional(), Length(max=4000)])


def _status_formatter(view, context, model, name):
    return Markup('<span class="badge badge-status badge-{}">{}</span>').format(
        model.status, STATUS_LABELS.get(OrderStatus(model.status), model.status)
    )


def _money_formatter(view, context, model, name):
    return nowrap(format_money(getattr(model, name), model.currency))


def _number_formatter(view, context, model, name):
    return Markup('<a class="text-nowrap" href="{}">{}</a>').format(
        url_for(".details_view", id=model.id), model.number
    )


def _customer_formatter(view, context, model, name):
    """Name, then email and phone under it: one column instead of three, so the list fits
    a 1366 px screen down to its total."""
    contacts = " · ".join(part for part in (model.email, model.phone) if part)
    return Markup('{}<br><small class="text-muted text-break">{}</small>').format(
        model.customer_name, contacts
    )


class OrderView(
    OrderEditMixin, PhoneOrderMixin, OrderDocumentsMixin, BulkStatusMixin, StaffModelView
):
    """Also: a phone order (admin/phone_order.py), invoices and packing slips
    (admin/order_documents.py), bulk status changes (admin/order_bulk.py)."""

    allowed_roles = ALL_STAFF
    may_move_to = staticmethod(staff_may_move_to)
    allow_create = False
    allow_edit = False
    allow_delete = False
    can_view_details = True
    details_template = "admin/orders/details.html"
    list_template = "admin/orders/list.html"
    column_list = (
        "number",
        "created_at",
        "customer_name",
        "status",
        "payment_method",
        "delivery_method_name",
        "total",
    )
    column_labels = {
        "number": _l("Number"),
        "created_at": _l("Date"),
        "customer_name": _l("Customer"),
        "email": _l("Email"),
        "phone": _l("Phone"),
        "status": _l("Status"),
        "payment_method": _l("Payment"),
        "delivery_method_name": _l("Delivery"),
        "total": _l("Total"),
        "paid_at": _l("Paid"),
    }
    column_formatters = {
        "status": _status_formatter,
        "total": _money_formatter,
        "number": _number_formatter,
        "customer_name": _customer_formatter,
        "payment_method": lambda v, c, m, n: staff_method_label(m.payment_method),
        # The snapshot is in the order's language; staff read the method in their own.
        "delivery_method_name": lambda v, c, m, n: m.delivery_name,
    }
    column_searchable_list = ("number", "email", "phone", "customer_name")
    column_filters = ("status", "created_at", "payment_method", "delivery_method_name", "paid_at")
    column_choices = {
        "status": [(s.value, STATUS_LABELS[s]) for s in OrderStatus],
        "payment_method": [(p.value, STAFF_METHOD_LABELS.get(p, p.label)) for p in PaymentMethod],
    }
    column_sortable_list = ("number", "created_at", "status", "total")
    column_default_sort = ("id", True)

    def get_one(self, id):
        pk = parse_id(id)
        if pk is None:
            return None
        return db.session.get(
            Order,
            pk,
            options=[
                selectinload(Order.lines),
                selectinload(Order.events),
                selectinload(Order.payments),
            ],
        )

    def render(self, template, **kwargs):
        order = kwargs.get("model")
        if template == self.details_template and order is not None:
            offered, held_back = [], None
            for status in allowed_transitions(order.status):
                if not staff_may_move_to(status):
                    continue
                blocked = payment_blocks(order, status)
                if blocked is None:
                    offered.append(OrderStatus(status))
                else:
                    held_back = blocked.message
            kwargs["transitions"] = offered
            kwargs["held_back"] = held_back
            kwargs["to_refund"] = refund_ids(order)
            kwargs["may_refund"] = has_any_role(*MANAGERS)
            kwargs["refund_form"] = RefundForm()
            kwargs["status_form"] = StatusForm()
            kwargs["note_form"] = StaffNoteForm(staff_note=order.staff_note)
            kwargs["may_export"] = has_any_role(*MANAGERS)
            kwargs["status_labels"] = {s.value: s.label for s in OrderStatus}
            kwargs["payment_status_labels"] = PAYMENT_STATUS_LABELS
            kwargs["provider_label"] = provider_label
            kwargs["returns_panel"] = order_panel(order)  # refunds by line, returns
            kwargs["may_send_payment_link"] = has_any_role(*MANAGERS) and may_send_payment_link(
                order
            )
        if template == self.list_template:
            kwargs["may_export"] = has_any_role(*MANAGERS)
            kwargs["may_phone_order"] = has_any_role(*MANAGERS)
        return super().render(template, **kwargs)

    @expose("/<int:order_id>/status", methods=["POST"])
    def change_status(self, order_id):
        form = StatusForm()
        back = url_for(".details_view", id=order_id)
        if not form.validate_on_submit():
            flash(_("The form has expired, please try again."), "error")
            return redirect(back)
        try:
            target = OrderStatus(form.to_status.data)
        except ValueError:
            flash(_("The order cannot be moved to this status."), "error")
            return redirect(back)
        if not staff_may_move_to(target):
            abort(403)
        order = db.session.get(Order, order_id)
        if order is None:
            abort(404)
        note = form.note.data or None

        def audit(order, from_status):  # in the move's own transaction
            audit_record(
                "status",
                "Order",
                order.id,
                before={"status": str(from_status) if from_status else None},
                after={"status": target.value, "note": note},
            )

        try:
            transition(
                order_id, target, actor=current_user._get_current_object(), note=note, also=audit
            )
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(back)
        flash(
            _("Order %(number)s: %(status)s.", number=order.number, status=target.label), "success"
        )
        return redirect(back)

    @expose("/<int:order_id>/payments/<int:payment_id>/refund", methods=["POST"])
    def refund_payment(self, order_id, payment_id):
        if not has_any_role(*MANAGERS):
            abort(403)
        back = url_for(".details_view", id=order_id)
        if not RefundForm().validate_on_submit():
            flash(_("The form has expired, please try again."), "error")
            return redirect(back)
        payment = db.session.get(Payment, payment_id)
        if payment is None or payment.order_id != order_id:
            abort(404)

        before = payment.status

        def audit(payment):  # in the refund's own transaction
            audit_record(
                "refund",
                "Payment",
                payment.id,
                before={"status": before},
                after={"status": payment.status, "amount": str(payment.amount)},
            )

        try:
            refund_late_payment(payment_id, actor=current_user._get_current_object(), also=audit)
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(back)
        flash(
            _(
                "Refunded %(amount)s to the customer.",
                amount=format_money(payment.amount, payment.currency),
            ),
            "success",
        )
        return redirect(back)

    @expose("/<int:order_id>/note", methods=["POST"])
    def save_note(self, order_id):
        if db.session.get(Order, order_id) is None:
            abort(404)
        back = url_for(".details_view", id=order_id)
        form = StaffNoteForm()
        if not form.validate_on_submit():
            flash(_("The note was not saved: it is too long."), "error")
            return redirect(back)
        try:
            save_staff_note(
                order_id, form.staff_note.data, actor=current_actor(), ip=client_ip()
            )
        except NotFound:
            abort(404)
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(back)
        flash(_("The note was saved."), "success")
        return redirect(back)

    @expose("/export.csv")
    def export_csv(self):
        if not has_any_role(*MANAGERS):
            abort(403)
        view_args = self._get_list_extra_args()
        sort_column = self._get_column_by_idx(view_args.sort)
        if sort_column is not None:
            sort_column = sort_column[0]
        _count, orders = self.get_list(
            0,
            sort_column,
            view_args.sort_desc,
            view_args.search,
            view_args.filters,
            page_size=50000,
        )
        body = export_orders_csv(orders, actor=current_actor(), ip=client_ip())
        filename = f"orders-{date.today().isoformat()}.csv"
        return Response(
            body,
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
