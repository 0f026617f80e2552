"""A new order taken on the phone, in the back office (managers and admins).

One page: find the customer (email, name or phone) or type a new one's contact details, add
lines by SKU (a search by SKU or name helps find them), choose the delivery (an address for a
courier, none for pickup) and the payment (cash on delivery, or a card online: the customer is
emailed a payment link). Placing it calls `shop.checkout.phone.place_phone_order`, which goes
through the storefront's own `place_order` (see its docstring for why a new customer gets a
guest order rather than an account).

The page works without JavaScript (searches reload it; lines are typed by SKU);
shop/static/js/admin-phone-order.js searches in place and adds a found variant as a line.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp

from admin.base import MANAGERS, client_ip, current_actor, form_problems, has_any_role, parse_id
from admin.search import contains_word
from shop.accounts.models import Address, User
from shop.accounts.services import is_erased
from shop.catalog.lookup import find_variants
from shop.checkout.forms import PHONE, multi_line, one_line
from shop.checkout.phone import (
    new_form_key,
    parse_lines,
    place_phone_order,
    send_payment_link,
)
from shop.checkout.services import Details, OutOfStock
from shop.core.errors import DomainError, NotFound
from shop.core.money import format_money
from shop.extensions import db
from shop.orders.models import PaymentMethod
from shop.payments import providers
from shop.shipping.services import active_methods

LANGUAGES = [("ru", "Русский"), ("en", "English")]
EMPTY_LINES = 3  # rows for lines on a new page (JavaScript adds more; without it, submit adds)
RESULTS = 20
PHONE_MESSAGE = _l("Enter a phone number, for example +7 900 123-45-67.")


class PhoneOrderForm(FlaskForm):
    """The order's details; the lines come as parallel lists `sku` and `quantity`."""

    customer_id = HiddenField()
    form_key = HiddenField()
    name = StringField(_l("Customer's name"), filters=[one_line],
                       validators=[DataRequired(), Length(max=120)])
    email = StringField(
        _l("Email"), filters=[one_line],
        validators=[DataRequired(), Length(max=255), Email(message=_l("Enter a valid email."))],
        description=_l("The confirmation and the payment link are sent here."),
    )
    phone = StringField(
        _l("Phone"), filters=[one_line],
        validators=[DataRequired(), Regexp(PHONE, message=PHONE_MESSAGE)],
    )
    locale = SelectField(_l("Language for emails"), choices=LANGUAGES, default="ru")
    delivery_method = RadioField(
        _l("Delivery"), coerce=int, validate_choice=True,
        validators=[InputRequired(message=_l("Choose a delivery method from the list."))],
    )
    saved_address = SelectField(_l("Saved address"), choices=[], validate_choice=False)
    address = TextAreaField(_l("Delivery address"), filters=[one_line],
                            validators=[Optional(), Length(max=500)],
                            description=_l("Not needed for pickup."))
    payment_method = RadioField(
        _l("Payment"), validate_choice=True,
        validators=[InputRequired(message=_l("Choose a payment method from the list."))],
    )
    note = TextAreaField(_l("Comment for the order"), filters=[multi_line],
                         validators=[Optional(), Length(max=1000)])
    consent = BooleanField(
        _l("The customer accepted the public offer and consented to the processing of their "
           "personal data on the phone"),
        validators=[DataRequired(_l("Ask the customer to accept the public offer and the "
                                    "personal data policy, and tick the box."))],
    )


def payment_choices() -> list[tuple[str, str]]:
    """Cash on delivery, and each online method offered now, said as staff read it."""
    choices = []
    for code, label in providers.available_methods():
        if code == PaymentMethod.CASH.value:
            choices.append((code, str(label)))
        else:
            choices.append((code, _("%(method)s online: a payment link is emailed",
                                    method=_method_name(code, label))))
    return choices


def _method_name(code, label) -> str:
    names = {PaymentMethod.CARD.value: _("Bank card (test gateway)"),
             PaymentMethod.YOOKASSA_CARD.value: _("Bank card (YooKassa)")}
    return names.get(code, str(label))


def delivery_choices(methods) -> list[tuple[int, str]]:
    return [(m.id, m.name) for m in methods]


def find_customers(text: str, limit: int = RESULTS) -> list[User]:
    """Active shoppers whose email, name or phone contains every word typed (any case, any
    alphabet); a phone matches by its digits however it was written ("8 (900) 123" finds
    "+7 900 123-45-67" by "900123")."""
    words = [word.lower() for word in (text or "").split() if word][:5]
    if not words:
        return []
    phone_digits = func.replace(func.replace(func.replace(func.replace(func.replace(
        func.coalesce(User.phone, ""), " ", ""), "-", ""), "(", ""), ")", ""), "+", "")
    query = select(User).where(User.active.is_(True)).order_by(User.id.desc()).limit(limit * 3)
    for word in words:
        matches = [contains_word(User.email, word), contains_word(User.full_name, word),
                   contains_word(User.phone, word)]
        digits = "".join(ch for ch in word if ch.isdigit())
        if len(digits) >= 3:
            matches.append(contains_word(phone_digits, digits))
        query = query.where(or_(*matches))
    found = [u for u in db.session.scalars(query) if not u.is_staff and not is_erased(u)]
    return found[:limit]


def _customer_or_none(value) -> User | None:
    pk = parse_id(value) if value not in (None, "") else None
    if pk is None:
        return None
    user = db.session.get(User, pk)
    if user is None or user.is_staff or not user.active or is_erased(user):
        return None
    return user


def _addresses(user: User | None) -> list[Address]:
    if user is None:
        return []
    return list(db.session.scalars(
        select(Address).where(Address.user_id == user.id)
        .order_by(Address.is_default.desc(), Address.id)
    ))


class PhoneOrderMixin:
    """The page and its searches, for admin.orders.OrderView."""

    phone_order_template = "admin/orders/phone_order.html"

    def _managers_only(self):
        if not has_any_role(*MANAGERS):
            abort(403)

    @expose("/phone/", methods=("GET", "POST"))
    def phone_order(self):
        self._managers_only()
        chosen = _customer_or_none(request.values.get("customer"))
        methods = active_methods()
        form = PhoneOrderForm()
        form.delivery_method.choices = delivery_choices(methods)
        form.payment_method.choices = payment_choices()
        addresses = _addresses(chosen)
        form.saved_address.choices = [("", "—")] + [(str(a.id), a.one_line()) for a in addresses]
        lines = list(zip(request.form.getlist("sku"), request.form.getlist("quantity"),
                         strict=False))
        if request.method == "POST":
            response = self._place(form, chosen, methods, addresses)
            if response is not None:
                return response
        else:
            form.form_key.data = new_form_key()
            if chosen is not None:
                form.customer_id.data = str(chosen.id)
                form.name.data = chosen.full_name or ""
                form.email.data = chosen.email
                form.phone.data = chosen.phone or ""
                form.locale.data = chosen.locale or "ru"
        blank = max(EMPTY_LINES - len(lines), 1)
        query = request.args.get("q", "")
        variant_query = request.args.get("vq", "")
        return self.render(
            self.phone_order_template,
            form=form,
            chosen=chosen,
            customers=find_customers(query) if query else None,
            query=query,
            variants=find_variants(variant_query) if variant_query else None,
            variant_query=variant_query,
            lines=lines + [("", "")] * blank,
            needs_address={m.id for m in methods if m.needs_address},
            method_prices={m.id: m.price for m in methods},
            format_money=format_money,
        )

    def _place(self, form, chosen, methods, addresses):
        """Place the order from the submitted form; the response, or None to show the form
        again with what was wrong."""
        if request.form.get("customer_id") and chosen is None:
            flash(_("Customer not found."), "error")
            return None
        if not form.validate_on_submit():
            for message in form_problems(form):
                flash(message, "error")
            return None
        try:
            lines = parse_lines(request.form.getlist("sku"), request.form.getlist("quantity"))
        except DomainError as exc:
            flash(str(exc.message), "error")
            return None
        address = form.address.data
        if not address and form.saved_address.data:
            saved = next((a for a in addresses if str(a.id) == form.saved_address.data), None)
            address = saved.one_line if saved is not None else None
        email = chosen.email if chosen is not None else form.email.data
        details = Details(email=email, phone=form.phone.data, name=form.name.data,
                          delivery_method_id=form.delivery_method.data,
                          payment_method=form.payment_method.data, address=address,
                          note=form.note.data)
        try:
            order = place_phone_order(
                lines, details, staff=current_actor(), form_key=form.form_key.data,
                customer_id=chosen.id if chosen is not None else None,
                locale=form.locale.data, consent_given=form.consent.data, ip=client_ip())
        except OutOfStock as exc:
            names = ", ".join(exc.details.get("lines") or ())
            flash(_("Not enough stock: %(lines)s.", lines=names) if names
                  else str(exc.message), "error")
            return None
        except NotFound as exc:
            flash(str(exc.message), "error")
            return None
        except DomainError as exc:
            flash(str(exc.message), "error")
            return None
        if order.payment_method == PaymentMethod.CASH.value:
            flash(_("Order %(number)s placed.", number=order.number), "success")
        else:
            flash(_("Order %(number)s placed. The payment link was emailed to %(email)s.",
                    number=order.number, email=order.email), "success")
        return redirect(url_for(".details_view", id=order.id), code=303)

    @expose("/phone/variants")
    def phone_order_variants(self):
        """The variant search's results as a fragment, for the page's script."""
        self._managers_only()
        text = request.args.get("vq", "")
        return render_template("admin/orders/_phone_variants.html",
                               variants=find_variants(text), variant_query=text,
                               format_money=format_money)

    @expose("/<int:order_id>/payment-link", methods=("POST",))
    def resend_payment_link(self, order_id):
        """Email the payment link of an unpaid order again."""
        self._managers_only()
        back = url_for(".details_view", id=order_id)
        if not FlaskForm().validate_on_submit():
            flash(_("The form has expired, please try again."), "error")
            return redirect(back)
        try:
            order = send_payment_link(order_id, staff=current_actor(), ip=client_ip())
        except NotFound:
            abort(404)
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(back)
        flash(_("The payment link was emailed to %(email)s.", email=order.email), "success")
        return redirect(back)

