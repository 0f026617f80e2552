"""Payment pages: the test gateway's hosted page, its webhook endpoint, and "pay again".

The hosted page plays the bank: on "Pay" or "Decline" it signs an event with the shared secret
and delivers it to the shop's webhook handler (the same code the HTTP endpoint runs), then sends
the shopper back to the order, exactly as a real gateway would call back before redirecting.
"""

import logging
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shop.core.errors import NotFound
from shop.extensions import csrf, db, limiter
from shop.orders.access import guest_order, order_for_browser
from shop.orders.models import OrderStatus
from shop.orders.services import guest_token
from shop.payments import providers, services
from shop.payments.models import PaymentStatus

bp = Blueprint("payments", __name__, url_prefix="/payments")
log = logging.getLogger(__name__)


def _gateway():
    gateway = providers.get("card")
    if not gateway.enabled():
        abort(404)
    return gateway


def _payment(reference):
    if len(reference) > 64:
        abort(404)
    try:
        return services.payment_by_reference("card", reference)
    except NotFound:
        abort(404)


@bp.get("/test-gateway/<reference>")
def gateway_page(reference):
    _gateway()
    payment = _payment(reference)
    return render_template("payments/gateway.html", payment=payment, order=payment.order)


@bp.post("/test-gateway/<reference>")
def gateway_decide(reference):
    gateway = _gateway()
    payment = _payment(reference)
    order = payment.order
    if payment.status == PaymentStatus.PENDING:
        kind = "payment.succeeded" if request.form.get("decision") == "pay" else "payment.failed"
        body = gateway.event_body("evt_" + secrets.token_hex(12), kind, payment)
        services.handle_webhook("card", body, gateway.sign(body))
        db.session.refresh(order)
        if order.status == OrderStatus.PAID:
            flash(_("Payment received. Thank you!"), "success")
        else:
            flash(_("The payment was declined. You can try again."), "warning")
    return redirect(_return_url(order))


def _return_url(order):
    if order.user_id is not None:
        return url_for("orders.detail", number=order.number)
    return url_for("orders.guest_view", token=guest_token(order))


@bp.post("/webhook/<provider>")
@csrf.exempt
@limiter.exempt
def webhook(provider):
    if provider not in providers.PROVIDERS:
        abort(404)
    try:
        outcome = services.handle_webhook(
            provider, request.get_data(cache=False), request.headers.get("X-Signature")
        )
    except providers.BadWebhook:
        return {"error": "bad webhook"}, 400
    return {"result": outcome}, 200


@bp.post("/orders/<number>/pay")
def pay_again(number):
    """Start another card attempt for an unpaid order this browser may see."""
    _gateway()
    return _retry(order_for_browser(number))


@bp.post("/orders/view/<token>/pay")
def pay_again_guest(token):
    """The same, for a guest who came back through the signed link in the email."""
    _gateway()
    return _retry(guest_order(token))


def _retry(order):
    if order.status != OrderStatus.NEW or order.payment_method != "card":
        flash(_("This order does not need paying."), "info")
        return redirect(_return_url(order))
    payment = services.retry(order)
    return redirect(url_for("payments.gateway_page", reference=payment.provider_reference))
