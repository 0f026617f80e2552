"""Cart pages: add (the product page posts here), the cart itself, change and remove lines.

A guest's cart is found through a signed cookie holding a random token; nothing about the cart
is kept in the Flask session, so browsing with an empty cart creates no session at all.
"""

import logging

from flask import (
    Blueprint,
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from shop.cart import services
from shop.core.errors import DomainError
from shop.core.sql import reading_only
from shop.core.urls import safe_next
from shop.extensions import db
from shop.shipping.services import cheapest_estimate, free_delivery_gap, offered_methods

bp = Blueprint("cart", __name__, url_prefix="/cart")
log = logging.getLogger(__name__)

COOKIE = "cart"
COOKIE_MAX_AGE = 60 * 24 * 3600


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cart-token")


def cookie_token() -> str | None:
    """The guest cart token from the signed cookie, or None when absent or tampered with."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        token = _serializer().loads(raw)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def set_cookie(response, token):
    response.set_cookie(
        COOKIE,
        _serializer().dumps(token),
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


def forget_cookie():
    @after_this_request
    def _delete(response):
        response.delete_cookie(COOKIE)
        return response


def user_id():
    return current_user.id if current_user.is_authenticated else None


def current_cart():
    """The shopper's cart (the user's, or the guest's from the cookie), memoised per request."""
    # Kept on the request, not on `g`: an app context may outlive one request (tests, CLI).
    if not hasattr(request, "_shop_cart"):
        uid = user_id()
        request._shop_cart = services.find_cart(user_id=uid, token=None if uid else cookie_token())
    return request._shop_cart


@bp.get("")
def view():
    uid = user_id()
    reading_only()  # one statement reads the whole cart: no transaction needed around it
    cart_view = services.load_for_shopper(user_id=uid, token=None if uid else cookie_token())
    # The header shows the same cart: its count and total need no query of their own.
    request._shop_header_cart = (cart_view.count, cart_view.subtotal)
    methods = offered_methods()
    return render_template(
        "cart/cart.html",
        cart=cart_view,
        methods=methods,
        estimate=cheapest_estimate(cart_view.subtotal, methods) if cart_view.rows else None,
        free_gap=free_delivery_gap(cart_view.subtotal, methods) if cart_view.rows else None,
    )


@bp.post("/add")
def add():
    back = safe_next(default=url_for("cart.view"))
    try:
        variant_id = services.parse_id(request.form.getlist("variant_id"))
        quantity = services.parse_quantity(request.form.getlist("quantity") or ["1"])
        uid = user_id()
        made = services.add_for_shopper(
            variant_id, quantity, user_id=uid, token=None if uid else cookie_token(),
            new_token=_new_guest_token,
        )
    except DomainError as exc:
        flash(str(exc.message), "error")
        return redirect(back)
    # A link to the cart in the message: the way on from here is usually the cart.
    flash(
        Markup('{} <a class="alert-link" href="{}" data-testid="go-to-cart">{}</a>').format(
            _("Added to your cart."), url_for("cart.view"), _("Go to cart")
        ),
        "success",
    )
    response = redirect(back)
    if made is not None and made.token:
        set_cookie(response, made.token)
    return response


def _new_guest_token() -> str | None:
    """The token for a guest's first cart: the same in every tab of this browser.

    Derived from the CSRF seed Flask-WTF keeps in the session (the add form could not have
    been posted without it), so two tabs adding at once find each other's cart.
    """
    from flask import session

    seed = session.get("csrf_token")
    if not isinstance(seed, str) or not seed:
        return None
    return services.guest_token_for(seed, current_app.config["SECRET_KEY"])


@bp.post("/update")
def update():
    try:
        line_id = services.parse_id(request.form.getlist("line_id"))
        quantity = services.parse_quantity(request.form.getlist("quantity"))
        services.set_quantity(current_cart(), line_id, quantity)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Quantity updated."), "success")
    return redirect(url_for("cart.view"))


@bp.post("/remove")
def remove():
    try:
        line_id = services.parse_id(request.form.getlist("line_id"))
        services.remove_line(current_cart(), line_id)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Removed from your cart."), "success")
    return redirect(url_for("cart.view"))


def header_cart():
    """Context for partials/header_cart.html: one query at most, none for a cookie-less guest."""
    if not request or request.endpoint in (None, "static"):
        return {}
    known = getattr(request, "_shop_header_cart", None)
    if known is not None:
        count, total = known
    else:
        uid = user_id()
        count, total = services.header_summary(user_id=uid, token=None if uid else cookie_token())
    return {"header_cart_count": count, "header_cart_total": total}


def merge_on_login(sender, user, **extra):
    """flask_login.user_logged_in: fold the guest cart into the user's, then drop the cookie."""
    token = cookie_token()
    if not token:
        return
    try:
        services.merge_guest_cart(user.id, token)
    except SQLAlchemyError:
        # Logging in matters more than the guest cart: keep the cookie, try at the next login.
        db.session.rollback()
        log.exception("could not merge the guest cart into user %s", user.id)
        return
    if hasattr(request, "_shop_cart"):
        del request._shop_cart
    forget_cookie()


def init_app(app):
    """The header's mini-cart on every page, and a guest's cart merged into theirs at login."""
    from flask_login import user_logged_in

    app.context_processor(lambda: {"header_cart": header_cart})
    user_logged_in.connect(merge_on_login, app)
