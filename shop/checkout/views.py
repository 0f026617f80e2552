"""Checkout pages: details (contact, address, delivery, payment) -> review -> place.

The details live in the session between steps; the review page shows totals computed on the
server and carries the form's one-time token and a fingerprint of the figures shown, so a price
or stock change since then is shown to the shopper before anything is placed.
"""

import secrets

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.accounts import services as account_services
from shop.accounts.forms import PART_LENGTHS
from shop.cart.services import load
from shop.cart.views import current_cart, user_id
from shop.checkout import services
from shop.checkout.forms import DetailsForm
from shop.core.errors import DomainError
from shop.core.i18n import current_language
from shop.legal import services as legal
from shop.legal.models import CONSENT_KINDS
from shop.legal.views import grant_from
from shop.payments import providers
from shop.payments.services import pending_payment
from shop.shipping.services import active_methods

bp = Blueprint("checkout", __name__, url_prefix="/checkout")

SESSION_KEY = "checkout"


def _saved_addresses():
    if not current_user.is_authenticated:
        return []
    return list(current_user.addresses)


def _build_form(subtotal):
    form = DetailsForm()
    methods = active_methods()
    form.delivery_method.choices = [(m.id, m.name) for m in methods]
    form.address_methods = frozenset(m.id for m in methods if m.needs_address)
    form.payment_method.choices = [
        (code, str(label)) for code, label in providers.available_methods()
    ]
    addresses = _saved_addresses()
    form.saved_address.choices = [(str(a.id), a.one_line()) for a in addresses] + [
        ("new", _("New address"))
    ]
    return form, methods, addresses


def _chosen_address(form, addresses) -> tuple[str | None, dict | None, int | None]:
    """The address line the order keeps, the parts typed (to fill the form again on the way
    back) and the saved address's id: one of the shopper's own (the form's choices hold only
    their ids), or the new one, saved to their book first when they asked."""
    if not form.needs_address():
        return None, None, None
    if not form.new_address():
        own = {str(a.id): a for a in addresses}[form.saved_address.data]
        return own.one_line(), None, own.id
    parts, line = form.address_parts(), form.address_line()
    saved_id = None
    if form.save_address.data and current_user.is_authenticated:
        same = next((a for a in addresses if a.one_line() == line), None)
        if same is None:
            same = account_services.add_address(
                current_user, {"recipient": form.name.data, "phone": form.phone.data, **parts}
            )
        saved_id = same.id
    return line, parts, saved_id


def _fernet():
    """Encrypts the details kept between steps: the session cookie is signed, not secret, and
    a name, phone and address should not be readable by whoever copies the cookie."""
    import base64
    import hashlib

    from cryptography.fernet import Fernet
    from flask import current_app

    secret = hashlib.sha256(b"checkout-details:" + current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(secret.digest()))


def _seal(details: services.Details) -> str:
    import json

    return _fernet().encrypt(json.dumps(details.__dict__).encode()).decode()


def _unseal(sealed) -> dict | None:
    import json

    from cryptography.fernet import InvalidToken

    if not isinstance(sealed, str):
        return None
    try:
        data = json.loads(_fernet().decrypt(sealed.encode()))
    except (InvalidToken, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _details_from_session() -> services.Details | None:
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict) or not data.get("token"):
        return None
    try:
        return services.Details(**(_unseal(data.get("details")) or {}))
    except TypeError:
        return None


@bp.route("", methods=["GET", "POST"])
def details():
    cart_view = load(current_cart())
    if not cart_view.rows:
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("cart.view"))
    form, methods, addresses = _build_form(cart_view.subtotal)
    if request.method == "GET":
        _prefill(form, addresses)
    if form.validate_on_submit():
        # The form has judged the address: present when the method needs one, else ignored.
        address, parts, address_id = _chosen_address(form, addresses)
        data = services.Details(
            email=form.email.data,
            phone=form.phone.data,
            name=form.name.data,
            delivery_method_id=form.delivery_method.data,
            payment_method=form.payment_method.data,
            address=address,
            note=form.note.data,
            address_parts=parts,
            address_id=address_id,
        )
        previous = session.get(SESSION_KEY) or {}
        session[SESSION_KEY] = {
            "details": _seal(data),
            "token": previous.get("token") or secrets.token_urlsafe(24),
            # the versions of the offer and the policy the shopper has just accepted
            "consent": {
                kind: version.id
                for kind, version in legal.current_versions(CONSENT_KINDS).items()
            },
        }
        return redirect(url_for("checkout.review"))
    return render_template(
        "checkout/details.html", form=form, cart=cart_view, methods=methods, addresses=addresses
    )


def _prefill(form, addresses):
    saved = _details_from_session()
    if saved:
        form.name.data, form.email.data, form.phone.data = saved.name, saved.email, saved.phone
        form.delivery_method.data = saved.delivery_method_id
        form.payment_method.data = saved.payment_method
        form.note.data = saved.note
        own = {a.id for a in addresses}
        if saved.address_id in own:
            form.saved_address.data = str(saved.address_id)
            return
        form.saved_address.data = "new"
        for name, value in (saved.address_parts or {}).items():
            if name in PART_LENGTHS:
                getattr(form, name).data = value
        return
    default = next((a for a in addresses if a.is_default), addresses[0] if addresses else None)
    if current_user.is_authenticated:
        # The profile first; a saved address's recipient and phone fill what the profile lacks.
        form.name.data = current_user.full_name or (default.recipient if default else None)
        form.email.data = current_user.email
        form.phone.data = current_user.phone or (default.phone if default else None)
    form.saved_address.data = str(default.id) if default else "new"
    if form.payment_method.choices:
        form.payment_method.data = form.payment_method.choices[0][0]
    if form.delivery_method.choices:
        form.delivery_method.data = form.delivery_method.choices[0][0]


@bp.get("/review")
def review():
    data = _details_from_session()
    if data is None:
        flash(_("Please fill in your details first."), "info")
        return redirect(url_for("checkout.details"))
    try:
        quote = services.quote(current_cart(), data)
    except DomainError as exc:
        return _refused(exc)
    return render_template(
        "checkout/review.html",
        quote=quote,
        details=data,
        payment_label=providers.method_label(data.payment_method),
        token=session[SESSION_KEY]["token"],
    )


def _refused(exc):
    """A translated message and the step where the shopper can fix what went wrong."""
    if isinstance(exc, services.CartChanged):
        flash(str(exc.message), "warning")
        return redirect(url_for("checkout.review"))
    if isinstance(exc, services.OutOfStock):
        lines = ", ".join(exc.details.get("lines") or [])
        flash(_("%(message)s %(lines)s", message=exc.message, lines=lines).strip(), "error")
        return redirect(url_for("cart.view"))
    if isinstance(exc, services.EmptyCart):
        flash(str(exc.message), "info")
        return redirect(url_for("cart.view"))
    flash(str(exc.message), "error")
    return redirect(url_for("checkout.details"))


@bp.post("/place")
def place():
    token = request.form.get("token", "")
    already = services.existing_order(token) if token else None
    if already is not None and _may_see(already):
        return _after_placing(already)
    data = _details_from_session()
    if data is None or token != session[SESSION_KEY].get("token"):
        flash(_("Please review your order before confirming."), "error")
        return redirect(url_for("checkout.details" if data is None else "checkout.review"))
    accepted = session[SESSION_KEY].get("consent")
    if not isinstance(accepted, dict) or set(accepted) != set(CONSENT_KINDS):
        flash(_("Please accept the public offer and consent to the processing of your "
                "personal data."), "error")
        return redirect(url_for("checkout.details"))
    try:
        order = services.place_order(
            current_cart(),
            data,
            idempotency_key=token,
            user_id=user_id(),
            locale=current_language(),
            expected_fingerprint=request.form.get("fingerprint", ""),
            consent=grant_from(accepted),
        )
    except DomainError as exc:
        return _refused(exc)
    session.pop(SESSION_KEY, None)
    remember_guest_order(order)
    return _after_placing(order)


def remember_guest_order(order):
    """The browser that placed a guest order may open its confirmation page."""
    numbers = [n for n in session.get("guest_orders", []) if isinstance(n, str)][-9:]
    if order.number not in numbers:
        numbers.append(order.number)
    session["guest_orders"] = numbers


def _may_see(order) -> bool:
    if order.user_id is not None:
        return current_user.is_authenticated and current_user.id == order.user_id
    return order.number in session.get("guest_orders", [])


def _after_placing(order):
    """Where the browser goes once the order is placed: to pay, or to the thank-you page.

    A provider paid on its own site (YooKassa) is reached through our "go to payment" page (see
    shop.payments.views: a form's redirect to another origin is blocked by our CSP), which also
    opens the payment there, so placing the order never waits for the provider."""
    payment = pending_payment(order) if order.status == "new" else None
    if payment is not None:
        provider = providers.get(payment.provider)
        if provider.leaves_site:
            return redirect(url_for("payments.go", number=order.number), code=303)
        started = provider.start(payment)
        if started is not None and started.url:
            return redirect(started.url)
    return redirect(url_for("orders.confirmation", number=order.number))
