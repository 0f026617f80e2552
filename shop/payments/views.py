"""Payment pages: the test gateway's hosted page, the providers' notification endpoint,
"go to payment" and "pay again".

The hosted page plays the bank: on "Pay" or "Decline" it signs an event with the shared secret
and delivers it to the shop's webhook handler (the same code the HTTP endpoint runs), then sends
the shopper back to the order, exactly as a real gateway would call back before redirecting.

A provider whose pages live elsewhere (YooKassa) is reached through "go to payment", a page of
ours the browser lands on after placing the order or pressing "pay": the storefront's CSP
(`form-action 'self'`) makes browsers refuse a form's redirect to another origin, even through
our own redirects, so the page sends the browser on itself (a meta refresh, and a link). It is
a GET that may open the payment at the provider: asking again is harmless, since the attempt's
Idempotence-Key gets the same payment.
"""

import logging
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shop.core.errors import DomainError, NotFound
from shop.core.net import client_address
from shop.extensions import csrf, db, limiter
from shop.orders.access import guest_order, order_for_browser
from shop.orders.models import OrderStatus
from shop.orders.services import guest_token
from shop.payments import edits, providers, services
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
    """A provider's notification: 200 once handled (or known), 403 from a network the provider
    does not send from, 400 for a body we cannot accept, 503 when the provider could not confirm
    it (nothing changed; it sends the notification again)."""
    if provider not in providers.PROVIDERS:
        abort(404)
    try:
        outcome = services.handle_webhook(
            provider,
            request.get_data(cache=False),
            request.headers.get("X-Signature"),
            source=client_address(),
        )
    except providers.ForbiddenSource:
        return {"error": "forbidden"}, 403
    except providers.BadWebhook:
        return {"error": "bad webhook"}, 400
    except providers.ProviderUnavailable:
        return {"error": "provider unavailable"}, 503
    return {"result": outcome}, 200


@bp.get("/orders/<number>/go")
def go(number):
    """Send the browser to the provider's page for the order's pending payment."""
    return _go(order_for_browser(number))


@bp.get("/orders/view/<token>/go")
def go_guest(token):
    """The same, for a guest who came through the signed link in the email."""
    return _go(guest_order(token))


def _go(order):
    back = _return_url(order)
    if order.status == OrderStatus.NEW:
        payment = services.pending_payment(order)
    else:  # the difference an edit asked for, if any (commits a new attempt)
        payment = edits.extra_attempt(order)
    if payment is None:
        return redirect(back)
    try:
        target = services.payment_page(payment)
    except DomainError:
        flash(_("The payment service did not answer. Your order is saved: please try to pay "
                "again in a minute."), "warning")
        return redirect(back)
    if target is None:
        return redirect(back)
    if not providers.get(payment.provider).leaves_site:
        return redirect(target)
    return render_template("payments/redirect.html", order=order, target=target)


@bp.post("/orders/<number>/pay")
def pay_again(number):
    """Start another attempt (or go on with the pending one) for an unpaid order this browser
    may see."""
    return _retry(order_for_browser(number))


@bp.post("/orders/view/<token>/pay")
def pay_again_guest(token):
    """The same, for a guest who came back through the signed link in the email."""
    return _retry(guest_order(token), token=token)


def _retry(order, token=None):
    try:
        payment = services.retry(order)
    except NotFound:
        flash(_("This order does not need paying."), "info")
        return redirect(_return_url(order))
    except DomainError as exc:
        flash(str(exc.message), "warning")
        return redirect(_return_url(order))
    if providers.get(payment.provider).leaves_site:
        target = (url_for("payments.go_guest", token=token) if token
                  else url_for("payments.go", number=order.number))
        return redirect(target, code=303)
    return redirect(url_for("payments.gateway_page", reference=payment.provider_reference))
