"""Cart pages: add (the product page posts here), the cart itself, change and remove lines, and
the mini-cart fragment the header's off-canvas panel shows.

A guest's cart is found through a signed cookie holding a random token; nothing about the cart
is kept in the Flask session, so browsing with an empty cart creates no session at all.

Every change answers a plain form post with a redirect and a flash message (the shop works
without JavaScript), and a request that asks for JSON (`Accept: application/json`) with
`{"ok": true, "count": ..., "message": ...}` or, refused, a 4xx `{"ok": false, "error": ...}`.
The cart page's changes add what it needs to redraw itself in place (see `_page_state`). The
product page's script calls the add and then fires `lavka:cart-changed` (js/minicart.js).
"""

import logging

from flask import (
    Blueprint,
    after_this_request,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, user_logged_in
from flask_wtf.csrf import CSRFError
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from shop.cart import services
from shop.core.errors import DomainError, NotFound
from shop.core.money import format_money
from shop.core.sql import reading_only
from shop.core.urls import safe_next
from shop.core.views import render_error
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


def shopper() -> dict:
    """Whose cart this request is about, as the cart services take it: the user's, or the
    guest's of the cookie (no cart at all for a guest without one)."""
    uid = user_id()
    return {"user_id": uid, "token": None if uid else cookie_token()}


def current_cart():
    """The shopper's cart (the user's, or the guest's from the cookie), or None."""
    return services.find_cart(**shopper())


def wants_json() -> bool:
    """The caller asked for JSON (the cart's scripts do) rather than a page."""
    best = request.accept_mimetypes.best_match(("text/html", "application/json"))
    return best == "application/json"


def _summary(cart_view) -> dict:
    """What the summary box shows besides the goods: the cheapest delivery and how much more
    makes delivery free (none for an empty cart)."""
    methods = offered_methods()
    return {
        "estimate": cheapest_estimate(cart_view.subtotal, methods) if cart_view.rows else None,
        "free_gap": free_delivery_gap(cart_view.subtotal, methods) if cart_view.rows else None,
    }


@bp.get("")
def view():
    reading_only()  # one statement reads the whole cart: no transaction needed around it
    cart_view = services.load(**shopper())
    return render_template(
        "cart/cart.html",
        cart=cart_view,
        # The header shows the same cart: its count and total need no query of their own.
        header_summary=(cart_view.count, cart_view.subtotal),
        **_summary(cart_view),
    )


@bp.get("/mini")
def mini():
    """The mini-cart's content, an HTML fragment for the header's off-canvas panel: a
    person's cart, so never kept by a browser or a proxy."""
    reading_only()
    cart_view = services.load(**shopper())
    body = render_template("cart/_mini.html", cart=cart_view, **_summary(cart_view))
    return body, 200, {"Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8"}


def _page_state(who: dict, line_id=None, lines_html=False) -> dict:
    """What the cart page redraws after a change, read afresh: the count, the summary box, the
    changed line (quantity, total, steppers' limits), the header's words; with `lines_html`
    the lines themselves (after an undo, whose line comes back under a new id)."""
    cart_view = services.load(**who)
    row = next((r for r in cart_view.rows if r.line.id == line_id), None)
    state = {
        "count": cart_view.count,
        "empty": not cart_view.rows,
        "subtotal": format_money(cart_view.subtotal),
        "summary_html": render_template(
            "cart/_summary.html", cart=cart_view, **_summary(cart_view)
        ),
        "header": _header_words(cart_view.count, cart_view.subtotal),
        "line": None if row is None else {
            "id": row.line.id,
            "quantity": row.line.quantity,
            "max": max(row.available, 1),
            "line_total": format_money(row.line_total),
            "problem": row.problem,
            "note_html": render_template("cart/_line_note.html", row=row),
        },
    }
    if lines_html:
        state["lines_html"] = render_template("cart/_lines.html", cart=cart_view)
    return state


def _header_words(count, total) -> dict:
    return {
        "count": count,
        "label": ngettext("Cart, %(num)d item", "Cart, %(num)d items", count),
        "total": format_money(total),
    }


def _status(exc: DomainError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, services.NotEnoughStock | services.CartBusy):
        return 409
    return 400


def _refused(exc: DomainError, back: str, state: bool = False, line_id=None):
    """A refused change: 4xx JSON with the reason (and the page's state when the cart page
    asked, so it can put back what the shopper sees), or the reason flashed and a redirect."""
    if wants_json():
        extra = _page_state(shopper(), line_id) if state else {}
        return jsonify(ok=False, error=str(exc.message), **extra), _status(exc)
    flash(str(exc.message), "error")
    return redirect(back)


@bp.errorhandler(CSRFError)
def csrf_refused(exc):
    """A change without a valid CSRF token: nothing changed, and the scripts get JSON."""
    if wants_json():
        message = _("Your session has expired. Please reload the page and try again.")
        return jsonify(ok=False, error=message), 400
    return render_error(400)


@bp.post("/add")
def add():
    back = safe_next(default=url_for("cart.view"))
    restoring = request.form.get("restore") == "1"  # "Undo" of a removal on the cart page
    uid = user_id()
    cookie = None if uid else cookie_token()
    # A guest's cart gets its token before it exists, so a first add knows what to put in
    # the cookie, and a second tab's first add (sent before the cookie came back) finds it.
    token = None if uid else (cookie or _new_guest_token())
    try:
        variant_id = services.parse_id(request.form.getlist("variant_id"))
        quantity = services.parse_quantity(request.form.getlist("quantity") or ["1"])
        services.add_item(None, variant_id, quantity, user_id=uid, token=token)
    except DomainError as exc:
        return _refused(exc, back)
    message = _("Returned to your cart.") if restoring else _("Added to your cart.")
    if wants_json():
        if restoring:
            extra = _page_state({"user_id": uid, "token": token}, lines_html=True)
        else:
            count, total = services.header_summary(user_id=uid, token=token)
            extra = {"count": count, "header": _header_words(count, total)}
        response = jsonify(ok=True, message=message, **extra)
    else:
        # A link to the cart in the message: the way on from here is usually the cart.
        flash(message if restoring else Markup(
            '{} <a class="alert-link" href="{}" data-testid="go-to-cart">{}</a>'
        ).format(message, url_for("cart.view"), _("Go to cart")), "success")
        response = redirect(back)
    if token is not None and token != cookie:
        set_cookie(response, token)
    return response


def _new_guest_token() -> str:
    """The token for a guest's first cart: the same in every tab of this browser.

    Derived from the CSRF seed Flask-WTF keeps in the session (the add form could not have
    been posted without it), so two tabs adding at once find each other's cart; a random one
    when there is no seed (CSRF checks turned off).
    """
    seed = session.get("csrf_token")
    if not isinstance(seed, str) or not seed:
        return services.new_token()
    return services.guest_token_for(seed, current_app.config["SECRET_KEY"])


@bp.post("/update")
def update():
    line_id = None
    try:
        line_id = services.parse_id(request.form.getlist("line_id"))
        quantity = services.parse_quantity(request.form.getlist("quantity"))
        services.set_quantity(None, line_id, quantity, **shopper())
    except DomainError as exc:
        return _refused(exc, url_for("cart.view"), state=True, line_id=line_id)
    if wants_json():
        state = _page_state(shopper(), line_id)
        message = _("Quantity updated. Cart total: %(total)s.", total=state["subtotal"])
        return jsonify(ok=True, message=message, **state)
    flash(_("Quantity updated."), "success")
    return redirect(url_for("cart.view"))


@bp.post("/remove")
def remove():
    try:
        line_id = services.parse_id(request.form.getlist("line_id"))
        removed = services.remove_line(None, line_id, **shopper())
    except DomainError as exc:
        return _refused(exc, url_for("cart.view"), state=True)
    name = f"{removed.name} ({removed.label})" if removed.label else removed.name
    message = _("Removed from your cart: %(product)s.", product=name)
    # The way back: a form that adds the same quantity again (JavaScript sends it in place).
    undo = render_template("cart/_undo.html", removed=removed, message=message)
    if wants_json():
        return jsonify(ok=True, message=message, undo_html=undo, **_page_state(shopper()))
    flash(Markup(undo), "success")  # noqa: S704 (an autoescaped template rendered it)
    return redirect(url_for("cart.view"))


def header_cart():
    """Context for partials/header_cart.html: one query at most, none for a cookie-less guest
    (a page that has read the cart already passes `header_summary` instead)."""
    if not request or request.endpoint in (None, "static"):
        return {}
    count, total = services.header_summary(**shopper())
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
    forget_cookie()


def init_app(app):
    """The header's cart on every page, and a guest's cart merged into theirs at login."""
    app.context_processor(lambda: {"header_cart": header_cart})
    user_logged_in.connect(merge_on_login, app)
