"""Refunds by line and shoppers' returns in the back office.

On an order's page (admin/orders.py includes the panel built by `order_panel`) managers and
admins choose lines, quantities and the delivery to refund, with a reason and whether the goods
came back to the shelf; a refund left pending by a provider that did not answer is retried from
there. The Refunds list shows every refund; the Returns list (filtered by status) leads to a
return's page, where managers approve or reject it, the warehouse (and managers) mark the goods
received, and managers refund it. Everything goes through `shop.returns.services`.

Roles: refunding money and deciding on returns is for managers and admins; receiving parcels is
the warehouse's job too, so warehouse staff see returns and mark them received.
"""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length, Optional

from admin.base import (
    ALL_STAFF,
    MANAGERS,
    StaffModelView,
    client_ip,
    current_actor,
    has_any_role,
    parse_id,
)
from admin.widgets import nowrap
from shop.core.errors import DomainError, NotFound
from shop.core.money import format_money
from shop.extensions import db
from shop.orders.models import Order
from shop.returns import services
from shop.returns.forms import quantities
from shop.returns.models import (
    REFUND_STATUS_LABELS,
    RETURN_REASONS,
    RETURN_STATUS_LABELS,
    Refund,
    RefundStatus,
    ReturnRequest,
    ReturnStatus,
)

RECEIVERS = ("admin", "manager", "warehouse")


class RefundLinesForm(FlaskForm):
    """The refund by line: quantities come as "qty-<line id>" fields (shop.returns.forms)."""

    delivery = BooleanField(_l("Refund the delivery"))
    restock = BooleanField(
        _l("The goods are back: put them on the shelf"),
        description=_l("Leave unticked when the goods did not come back (lost, damaged)."),
    )
    reason = TextAreaField(_l("Reason for the refund"), validators=[Length(max=1000)])


class ActionForm(FlaskForm):
    """Only the CSRF token: the refund or return is in the URL."""


class DecisionForm(FlaskForm):
    comment = TextAreaField(
        _l("Comment for the customer"), validators=[Optional(), Length(max=2000)],
        description=_l("Sent to the customer by email; required to reject."),
    )


def order_panel(order: Order) -> dict:
    """What the order's page shows about refunds and returns (see `_order_refunds.html`)."""
    left = services.refundable(order)
    return {
        "refund_left": left,
        "refunds": services.refunds_of(order),
        "returns": services.returns_of(order),
        "may_refund_lines": has_any_role(*MANAGERS) and order.status in services.REFUNDABLE
        and any(left.values()),
        "refund_lines_form": RefundLinesForm(),
        "retry_form": ActionForm(),
        "refund_status_labels": REFUND_STATUS_LABELS,
        "return_status_labels": RETURN_STATUS_LABELS,
        "pending": RefundStatus.PENDING,
    }


def _amount_formatter(view, context, model, name):
    return nowrap(format_money(model.amount, model.currency))


def _order_formatter(view, context, model, name):
    return Markup('<a class="text-nowrap" href="{}">{}</a>').format(
        url_for("admin_orders.details_view", id=model.order_id), model.order.number
    )


def _labelled(labels):
    def formatter(view, context, model, name):
        value = getattr(model, name)
        return labels.get(value, value)

    return formatter


class RefundView(StaffModelView):
    """Every refund by line; refunds are made from the order's page."""

    allowed_roles = MANAGERS
    allow_create = False
    allow_edit = False
    allow_delete = False
    column_list = ("id", "created_at", "order", "amount", "method", "status", "reason")
    column_labels = {
        "id": _l("Refund"),
        "created_at": _l("Date"),
        "order": _l("Order"),
        "amount": _l("Amount"),
        "method": _l("Paid through"),
        "status": _l("Status"),
        "reason": _l("Reason"),
    }
    column_formatters = {
        "amount": _amount_formatter,
        "order": _order_formatter,
        "status": _labelled(REFUND_STATUS_LABELS),
        "method": lambda v, c, m, n: _("Manual (cash)") if m.method == "manual" else m.method,
    }
    column_filters = ("status", "created_at")
    column_choices = {"status": list(REFUND_STATUS_LABELS.items())}
    column_default_sort = ("id", True)

    @expose("/order/<int:order_id>", methods=["POST"])
    def refund_order_lines(self, order_id):
        """Refund the chosen lines of an order (the form on its page)."""
        order = db.session.get(Order, order_id)
        if order is None:
            abort(404)
        back = url_for("admin_orders.details_view", id=order_id)
        form = RefundLinesForm()
        if not form.validate_on_submit():
            flash(_("The form has expired, please try again."), "error")
            return redirect(back)
        try:
            parts = quantities(request.form, {line.id for line in order.lines})
            if form.delivery.data:
                parts[None] = 1
            refund = services.refund_lines(
                order_id, parts, form.reason.data, actor=current_actor(),
                restock=bool(form.restock.data), ip=client_ip(),
            )
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(back)
        flash(_("Refunded %(amount)s to the customer.",
                amount=format_money(refund.amount, refund.currency)), "success")
        return redirect(back)

    @expose("/<int:refund_id>/retry", methods=["POST"])
    def retry(self, refund_id):
        refund = db.session.get(Refund, refund_id)
        if refund is None:
            abort(404)
        back = url_for("admin_orders.details_view", id=refund.order_id)
        if not ActionForm().validate_on_submit():
            flash(_("The form has expired, please try again."), "error")
            return redirect(back)
        try:
            refund = services.retry_refund(refund_id, actor=current_actor())
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(back)
        flash(_("Refunded %(amount)s to the customer.",
                amount=format_money(refund.amount, refund.currency)), "success")
        return redirect(back)


class ReturnView(StaffModelView):
    """Shoppers' return requests, newest first, filtered by status."""

    allowed_roles = ALL_STAFF
    allow_create = False
    allow_edit = False
    allow_delete = False
    can_view_details = True
    details_template = "admin/returns/details.html"
    column_list = ("id", "created_at", "order", "status", "reason")
    column_labels = {
        "id": _l("Return"),
        "created_at": _l("Date"),
        "order": _l("Order"),
        "status": _l("Status"),
        "reason": _l("Reason"),
    }
    column_formatters = {
        "order": _order_formatter,
        "status": _labelled(RETURN_STATUS_LABELS),
        "reason": _labelled(RETURN_REASONS),
    }
    column_filters = ("status", "created_at")
    column_choices = {
        "status": list(RETURN_STATUS_LABELS.items()),
        "reason": list(RETURN_REASONS.items()),
    }
    column_default_sort = ("id", True)

    def get_one(self, id):
        pk = parse_id(id)
        return None if pk is None else db.session.get(ReturnRequest, pk)

    def render(self, template, **kwargs):
        if template == self.details_template and kwargs.get("model") is not None:
            kwargs["decision_form"] = DecisionForm()
            kwargs["action_form"] = ActionForm()
            kwargs["may_decide"] = has_any_role(*MANAGERS)
            kwargs["may_receive"] = has_any_role(*RECEIVERS)
            kwargs["statuses"] = ReturnStatus
        return super().render(template, **kwargs)

    def _act(self, return_id, roles, form_class, call, done):
        """Check the role and the form, call the service, say how it went."""
        if not has_any_role(*roles):
            abort(403)
        if db.session.get(ReturnRequest, return_id) is None:
            abort(404)
        back = url_for(".details_view", id=return_id)
        form = form_class()
        if not form.validate_on_submit():
            flash(_("The form has expired, please try again."), "error")
            return redirect(back)
        try:
            call(form)
        except NotFound:
            abort(404)
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(back)
        flash(done, "success")
        return redirect(back)

    @expose("/<int:return_id>/approve", methods=["POST"])
    def approve(self, return_id):
        return self._act(
            return_id, MANAGERS, DecisionForm,
            lambda form: services.approve_return(return_id, current_actor(), form.comment.data,
                                                 client_ip()),
            _("The return is approved; the customer has been emailed."),
        )

    @expose("/<int:return_id>/reject", methods=["POST"])
    def reject(self, return_id):
        return self._act(
            return_id, MANAGERS, DecisionForm,
            lambda form: services.reject_return(return_id, current_actor(), form.comment.data,
                                                client_ip()),
            _("The return is rejected; the customer has been emailed."),
        )

    @expose("/<int:return_id>/received", methods=["POST"])
    def received(self, return_id):
        return self._act(
            return_id, RECEIVERS, ActionForm,
            lambda form: services.mark_received(return_id, current_actor(), client_ip()),
            _("The goods are received and back in stock."),
        )

    @expose("/<int:return_id>/refund", methods=["POST"])
    def refund(self, return_id):
        return self._act(
            return_id, MANAGERS, ActionForm,
            lambda form: services.refund_return(return_id, current_actor(), client_ip()),
            _("The return is refunded; the customer has been emailed."),
        )
