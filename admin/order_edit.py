"""Editing an order in the back office (issue 19.3): quantities, lines removed or added, the
delivery method and address of an order not shipped yet, through `shop.orders.editing`.

One page, one form, no JavaScript needed: "Find" lists items on sale by SKU or name, each with
an "Add" button; "Check totals" shows the new totals and what happens to the money (a refund,
a payment link for the difference); "Save changes" applies it all in one transaction. Every
button submits the whole form, so nothing typed is lost between steps; Enter in any field
searches (the first button) and never saves by accident. A refused edit shows the page again
with what was typed and why, and changes nothing.

Managers and admins only: the warehouse packs what the order says, it does not change it.
Mixed into `admin.orders.OrderView`, so the URLs are /admin/orders/<id>/edit.
"""

from decimal import Decimal

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField

from admin.base import MANAGERS, client_ip, current_actor, has_any_role
from shop.catalog import lookup
from shop.core.errors import DomainError, NotFound
from shop.core.money import format_money
from shop.extensions import db
from shop.orders import editing
from shop.orders.models import Order, PaymentMethod
from shop.payments.edits import amount_due
from shop.payments.services import held_money
from shop.shipping.services import active_methods

MAX_ADDED = 20  # rows of new items one form carries


class EditOrderForm(FlaskForm):
    """The CSRF token and the version of the order the page showed; the rest is read from the
    request by `_edit_from`, since the lines are the order's own."""

    version = HiddenField()


def _number(value):
    """A whole number typed in a box, or the text as typed (the service refuses it)."""
    text = (value or "").strip()
    return int(text) if text.isdigit() else text


def _edit_from(form_data, order: Order) -> tuple[editing.Edit, dict]:
    """The Edit that the submitted form asks for, and the new items' rows {variant id: units}
    to show again. Unparseable values are passed on as typed: the service says what is wrong."""
    quantities = {}
    for line in order.lines:
        typed = form_data.get(f"qty-{line.id}")
        if form_data.get(f"remove-{line.id}"):
            quantities[line.id] = 0
        elif typed is not None:
            quantities[line.id] = _number(typed)
    # Lines of other orders (a forged form) are named too, so the service refuses them.
    for key in form_data:
        if key.startswith(("qty-", "remove-")):
            line_id = key.partition("-")[2]
            if not any(str(line.id) == line_id for line in order.lines):
                quantities[_number(line_id)] = (
                    0 if key.startswith("remove-") else _number(form_data.get(key)))
    added = {}
    for key in form_data:
        if key.startswith("add-") and len(added) < MAX_ADDED:
            added[_number(key[4:])] = _number(form_data.get(key))
    wanted = form_data.get("add_variant")
    if wanted:
        variant = _number(wanted)
        added[variant] = (added.get(variant, 0) if isinstance(added.get(variant), int) else 0) + 1
    rows = {k: v for k, v in added.items() if v != 0}
    method = form_data.get("delivery_method") or None
    address = form_data.get("address")
    edit = editing.Edit(
        quantities=quantities,
        added=rows,
        delivery_method_id=_number(method) if method else None,
        address=address,
        reason=form_data.get("reason"),
    )
    return edit, rows


def money_outcome(order: Order, new_total) -> str:
    """What saving means for the customer's money, as staff read it before saving."""
    new_total = Decimal(new_total)
    if order.payment_method == PaymentMethod.CASH.value:
        return _("The customer pays %(amount)s on delivery.",
                 amount=format_money(new_total, order.currency))
    if order.status == "new":
        return _("The order is not paid yet: the customer pays the new total of %(amount)s.",
                 amount=format_money(new_total, order.currency))
    due = new_total - held_money(order)
    if due < 0:
        return _("%(amount)s will be refunded to the customer through the payment provider.",
                 amount=format_money(-due, order.currency))
    if due > 0:
        return _("The customer will be emailed a link to pay the difference of %(amount)s; "
                 "the order cannot be prepared until it is paid.",
                 amount=format_money(due, order.currency))
    return _("The customer has paid exactly this total: no money moves.")


class OrderEditMixin:
    """The edit page and its form's endpoint, for `admin.orders.OrderView`."""

    edit_template = "admin/orders/edit_order.html"

    def render(self, template, **kwargs):
        order = kwargs.get("model")
        if template == self.details_template and order is not None:
            kwargs["edit_order_url"] = (
                url_for(".edit_order", order_id=order.id)
                if editing.is_editable(order) and has_any_role(*MANAGERS) else None
            )
            kwargs["extra_due"] = amount_due(order)  # asked by an edit, not paid yet
        return super().render(template, **kwargs)

    def _editable_order(self, order_id) -> Order:
        if not has_any_role(*MANAGERS):
            abort(403)
        order = db.session.get(Order, order_id)
        if order is None:
            abort(404)
        return order

    @expose("/<int:order_id>/edit", methods=["GET"])
    def edit_order(self, order_id):
        order = self._editable_order(order_id)
        if not editing.is_editable(order):
            flash(str(editing.NotEditable.message), "error")
            return redirect(url_for(".details_view", id=order_id))
        form = EditOrderForm(version=editing.version_of(order))
        return self._edit_page(order, form, editing.Edit(), {}, None)

    @expose("/<int:order_id>/edit", methods=["POST"])
    def save_order_edit(self, order_id):
        order = self._editable_order(order_id)
        form = EditOrderForm()
        edit, rows = _edit_from(request.form, order)
        if not form.validate_on_submit():
            return self._edit_page(order, form, edit, rows,
                                   _("The form has expired, please try again."), status=400)
        action = request.form.get("action")
        if request.form.get("add_variant") or action in ("search", "preview"):
            return self._edit_page(order, form, edit, rows, None, preview=True)
        if action != "save":
            return self._edit_page(order, form, edit, rows, _("Choose what to do."), status=400)
        try:
            editing.edit_order(order_id, edit, actor=current_actor(), ip=client_ip(),
                               version=form.version.data or "")
        except NotFound:
            abort(404)
        except DomainError as exc:
            db.session.rollback()
            order = db.session.get(Order, order_id)
            return self._edit_page(order, form, edit, rows, str(exc.message), status=400)
        flash(_("Order %(number)s was changed.", number=order.number), "success")
        return redirect(url_for(".details_view", id=order_id))

    def _edit_page(self, order, form, edit, rows, error, status=200, preview=False):
        plan = None
        if preview and error is None:
            try:
                _order, plan = editing.preview(order.id, edit)
            except DomainError as exc:
                error = str(exc.message)
            order = db.session.get(Order, order.id)
        query = (request.form.get("q") or "").strip()[:100] if request.method == "POST" else ""
        found = lookup.find_variants(query) if query else []
        variants = {v.id: v for v in editing.variants_by_id(rows)}
        methods = active_methods()
        if order.delivery_method is not None and order.delivery_method not in methods:
            methods.append(order.delivery_method)  # switched off since: still the order's
        chosen_method = edit.delivery_method_id or order.delivery_method_id
        body = self.render(
            self.edit_template,
            order=order,
            form=form,
            edit=edit,
            new_rows=[(variants[k], v) for k, v in rows.items() if k in variants],
            found=found,
            query=query,
            searched=bool(query),
            methods=methods,
            chosen_method=chosen_method,
            address=order.shipping_address if edit.address is None else edit.address,
            error=error,
            plan=plan,
            outcome=money_outcome(order, plan.total) if plan is not None else None,
            return_url=url_for(".details_view", id=order.id),
        )
        return body, status

