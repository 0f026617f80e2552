"""YooKassa (ЮKassa) as a payment provider: a bank card and СБП, paid on YooKassa's own pages.

Why the documented HTTP API v3 over urllib3, and not the official `yookassa` SDK (3.13): the SDK
keeps its settings (shop id, secret key, API URL) in class attributes of one process-wide
`Configuration`, so every app in a process shares one shop (tests build several apps); it
passes no timeout to `requests` (its `timeout` setting is the back-off between its own retries),
so a hung API would hold the shopper's request, and a uWSGI worker, as long as the socket lives;
on a connection error it reads `e.response`, which is None there, and fails with an
AttributeError instead of a typed error; and it sleeps and retries POSTs answered with HTTP 202
inside the request. We make five calls (POST /payments, GET /payments/{id}, POST /refunds,
GET /refunds/{id}, POST /receipts): a few lines each over urllib3, a well-kept client already
installed with sentry-sdk (pinned in requirements.txt now that we use it directly), with a
connect and a read timeout from the settings and no retries of its own. A retry is the caller's
decision, and is made with the same Idempotence-Key, so YooKassa never makes a second payment,
refund or receipt for it.

What happens when (docs/payments.md tells the whole story):

- the shopper places an order paid by "yookassa_card" or "yookassa_sbp"; the browser lands on
  our "go to payment" page, which creates the payment (`payment_request`: `capture: true`, a
  redirect confirmation back to the order's page, the order number in `metadata`) with the
  payment attempt's key as Idempotence-Key, stores YooKassa's id as the payment's reference and
  sends the browser to YooKassa's `confirmation_url`;
- YooKassa notifies POST /payments/webhook/yookassa; the sender's address must be in
  YOOKASSA_NOTIFY_NETWORKS, and the payment (or refund) is read back from the API before
  anything changes: what the API says is applied, never what the notification claims;
- the order page the shopper returns to reads the payment too (short timeout), through the
  same code path; both record the outcome as a PaymentEvent with one id per outcome
  ("payment.succeeded:<id>"), so the second of them changes nothing;
- a paid order that is cancelled is refunded in full (POST /refunds, keyed by the attempt);
- a prepaid order handed over gets its settlement receipt (POST /receipts, keyed by the
  attempt; shop.payments.settlement records and retries it).

`payment_request` and `refund_request` build the request bodies in one place each, with the
54-FZ `receipt` objects of shop.payments.receipts (prepayment; refund of exactly the refunded
items).
"""

import functools
import ipaddress
import json
import logging
import re
from decimal import Decimal, InvalidOperation

import urllib3
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from shop.core.urls import public_url_for
from shop.orders.models import PaymentMethod
from shop.orders.services import guest_token
from shop.payments.base import (
    BadWebhook,
    Provider,
    ProviderRefused,
    ProviderUnavailable,
    RemotePayment,
    Started,
    WebhookEvent,
)
from shop.payments.models import PaymentStatus, ReceiptStatus
from shop.payments.receipts import (
    money,
    payment_receipt,
    refund_receipt,
    settlement_receipt,
)

log = logging.getLogger(__name__)

# Our payment methods and YooKassa's `payment_method_data.type` for each.
METHOD_TYPES = {
    PaymentMethod.YOOKASSA_CARD.value: "bank_card",
    PaymentMethod.YOOKASSA_SBP.value: "sbp",
    PaymentMethod.YOOKASSA_SBERPAY.value: "sberbank",  # only with YOOKASSA_SBERPAY on
}
SETTLEMENT = "settlement"  # FiscalReceipt.kind of the receipt made at hand-over
# Notifications we act on; any other event is answered 200 and left alone.
PAYMENT_EVENTS = ("payment.succeeded", "payment.canceled", "payment.waiting_for_capture")
REFUND_EVENTS = ("refund.succeeded",)
# YooKassa's ids are UUID-like (36 characters); "payment.succeeded:<id>" must fit the 64
# characters of PaymentEvent.event_id.
_OBJECT_ID = re.compile(r"[A-Za-z0-9_-]{1,46}")


@functools.cache
def _http() -> urllib3.PoolManager:
    """One connection pool per process (uWSGI's lazy-apps: per worker); no automatic retries."""
    return urllib3.PoolManager(retries=False, num_pools=4, maxsize=8)


def _setting(name: str):
    return current_app.config.get(f"YOOKASSA_{name}")


def call(method: str, path: str, body: dict | None = None, key: str | None = None,
         timeout: float | None = None) -> dict:
    """One request to the API; the answer's JSON object.

    Raises ProviderUnavailable when there is no usable answer (network, timeout, 5xx, 429, a
    202 "still processing", a garbled body: the caller may ask again with the same key), and its
    ProviderRefused when YooKassa answered no (4xx); `details["status"]` holds the HTTP status.
    """
    base = str(_setting("API_URL") or "").rstrip("/")
    headers = urllib3.make_headers(
        basic_auth=f"{_setting('SHOP_ID') or ''}:{_setting('SECRET_KEY') or ''}"
    )
    headers["Accept"] = "application/json"
    payload = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        payload = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    if key is not None:
        headers["Idempotence-Key"] = key
    limit = urllib3.Timeout(
        connect=float(_setting("CONNECT_TIMEOUT") or 5),
        read=float(timeout if timeout is not None else (_setting("TIMEOUT") or 15)),
    )
    try:
        response = _http().request(
            method, base + path, body=payload, headers=headers, timeout=limit,
            redirect=False, retries=False,
        )
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        log.warning("yookassa %s %s: no answer (%s)", method, path, exc.__class__.__name__)
        raise ProviderUnavailable(status=None) from None
    try:
        data = json.loads(response.data or b"null")
    except ValueError:
        data = None
    if response.status == 200 and isinstance(data, dict):
        return data
    code = data.get("code") if isinstance(data, dict) else None
    log.warning("yookassa %s %s: HTTP %s %s", method, path, response.status, code or "")
    if response.status in (400, 401, 403, 404, 405, 415):
        raise ProviderRefused(status=response.status, code=code)
    raise ProviderUnavailable(status=response.status)


def _object_id(value) -> str:
    if not isinstance(value, str) or not _OBJECT_ID.fullmatch(value):
        raise BadWebhook()
    return value


def _amount(data: dict) -> tuple[str, str]:
    """(value, currency) of an API object's `amount`; ProviderUnavailable when garbled."""
    amount = data.get("amount")
    try:
        value, currency = amount["value"], amount["currency"]
        Decimal(str(value))
    except (TypeError, KeyError, InvalidOperation):
        raise ProviderUnavailable() from None
    return str(value), str(currency)


def event_from_payment(data: dict) -> WebhookEvent | None:
    """The outcome of a payment object read from the API, as the event its notification brings:
    "payment.succeeded" (money taken), "payment.failed" (canceled: nothing taken, may be paid
    again), or None while the shopper has not finished (pending). One event id per outcome, so
    the notification and the return page record it once between them."""
    payment_id, status = data.get("id"), data.get("status")
    if not isinstance(payment_id, str) or not _OBJECT_ID.fullmatch(payment_id):
        raise ProviderUnavailable()
    if status == "succeeded":
        value, currency = _amount(data)
        return WebhookEvent(f"payment.succeeded:{payment_id}", "payment.succeeded", payment_id,
                            value, currency)
    if status == "canceled":
        value, currency = _amount(data)
        return WebhookEvent(f"payment.canceled:{payment_id}", "payment.failed", payment_id,
                            value, currency)
    return None  # pending; waiting_for_capture cannot happen with capture: true


def return_url(order) -> str:
    """The order's page, built from PUBLIC_URL (never from the request): the signed-in owner's
    order page, or a guest's signed link, which opens in any browser."""
    if order.user_id is not None:
        return public_url_for("orders.detail", number=order.number)
    return public_url_for("orders.guest_view", token=guest_token(order))


def idempotence_key(payment) -> str:
    """The payment attempt's own key: asking again for the same attempt gets the same payment."""
    return payment.idempotency_key


def payment_request(payment) -> dict:
    """The body of POST /payments for one attempt, with its 54-FZ prepayment `receipt`.

    Built only from what the attempt and its order keep, so a retry sends the same body with the
    same Idempotence-Key."""
    order = payment.order
    with force_locale(order.locale or "ru"):
        description = _("Order %(number)s", number=order.number)
    return {
        "amount": money(payment.amount, payment.currency),
        "capture": True,
        "confirmation": {"type": "redirect", "return_url": return_url(order)},
        "payment_method_data": {"type": METHOD_TYPES.get(order.payment_method, "bank_card")},
        "description": description[:128],
        "metadata": {"order_number": order.number, "payment_id": str(payment.id)},
        "receipt": payment_receipt(order, payment.amount),
    }


def refund_request(payment, amount=None, parts=None) -> dict:
    """The body of POST /refunds: the whole payment back, or `amount` made of `parts`, with
    the refund receipt of exactly those items (the whole order's for a whole refund)."""
    amount = payment.amount if amount is None else amount
    return {
        "payment_id": payment.provider_reference,
        "amount": money(amount, payment.currency),
        "description": f"{payment.order.number}"[:250],
        "receipt": refund_receipt(payment.order, amount, parts, settled=settled(payment)),
    }


def settled(payment) -> bool:
    """True once the settlement receipt of the payment went through: the goods were handed
    over, so a refund receipt's items are in "full payment"."""
    return any(r.kind == SETTLEMENT and r.status == ReceiptStatus.SENT for r in payment.receipts)


def settlement_key(payment) -> str:
    """The settlement receipt's Idempotence-Key: one per payment, however often it is sent."""
    return f"settle-{payment.idempotency_key}"


def _web_url(url) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://")) and len(url) < 2048


def _networks() -> list:
    configured = _setting("NOTIFY_NETWORKS") or ()
    if isinstance(configured, str):
        configured = configured.replace(",", " ").split()
    networks = []
    for item in configured:
        try:
            networks.append(ipaddress.ip_network(str(item).strip(), strict=False))
        except ValueError:
            log.error("SHOP_YOOKASSA_NOTIFY_NETWORKS: %r is not a network, ignored", item)
    return networks


class YooKassa(Provider):
    code = "yookassa"
    label = "YooKassa"
    leaves_site = True
    names_payments = True
    sends_receipts = True

    def enabled(self) -> bool:
        return bool(_setting("SHOP_ID") and _setting("SECRET_KEY"))

    def methods(self):
        return [
            (code, PaymentMethod(code).label) for code in METHOD_TYPES
            if code != PaymentMethod.YOOKASSA_SBERPAY.value or _setting("SBERPAY")
        ]

    def start(self, payment) -> Started:
        """Open the attempt at YooKassa, or read it when it already has its id there.

        The POST carries the attempt's key: after a lost answer (a network error, a timeout) the
        same call gets the same payment, never a second one. Raises ProviderUnavailable."""
        if payment.provider_reference:
            data = call("GET", f"/payments/{payment.provider_reference}")
        else:
            data = call("POST", "/payments", payment_request(payment),
                        key=idempotence_key(payment))
        event = event_from_payment(data)
        url = None
        if event is None:
            url = (data.get("confirmation") or {}).get("confirmation_url")
            if not _web_url(url):
                raise ProviderUnavailable()
        return Started(url, reference=data["id"], event=event)

    def accepts_from(self, address) -> bool:
        try:
            ip = ipaddress.ip_address(str(address))
        except ValueError:
            return False
        if ip.version == 6 and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return any(ip in network for network in _networks())

    def parse_webhook(self, body, signature):
        """YooKassa's notification as it claims to be: `{"type": "notification", "event": ...,
        "object": {...}}`. It carries no signature: its source and the read-back vouch for it."""
        if not self.enabled():
            raise BadWebhook()
        try:
            data = json.loads(body or b"")
        except ValueError:
            raise BadWebhook() from None
        if not isinstance(data, dict) or data.get("type") != "notification":
            raise BadWebhook()
        event, obj = data.get("event"), data.get("object")
        if not isinstance(event, str) or not isinstance(obj, dict):
            raise BadWebhook()
        object_id = _object_id(obj.get("id"))
        if event in PAYMENT_EVENTS:
            return WebhookEvent(f"{event}:{object_id}", event, object_id, "", "")
        if event in REFUND_EVENTS:
            payment_id = _object_id(obj.get("payment_id"))
            return WebhookEvent(f"{event}:{object_id}", event, payment_id, "", "",
                                object_id=object_id)
        return None

    def confirm(self, event):
        """Read the object back; the API's word replaces the notification's. Raises BadWebhook
        when YooKassa knows no such object (or it belongs to another payment),
        ProviderUnavailable when it cannot be asked."""
        try:
            if event.kind in REFUND_EVENTS:
                data = call("GET", f"/refunds/{event.object_id}")
            else:
                data = call("GET", f"/payments/{event.reference}")
        except ProviderRefused as exc:
            if exc.details.get("status") == 404:
                raise BadWebhook() from None
            raise
        if event.kind in REFUND_EVENTS:
            if data.get("id") != event.object_id or data.get("payment_id") != event.reference:
                raise BadWebhook()
            if data.get("status") != "succeeded":
                return None
            value, currency = _amount(data)
            return WebhookEvent(event.event_id, "refund.succeeded", event.reference, value,
                                currency, object_id=event.object_id)
        if data.get("id") != event.reference:
            raise BadWebhook()
        return event_from_payment(data)

    def payment_event(self, reference, timeout=None):
        if not reference or not _OBJECT_ID.fullmatch(reference):
            return None
        return event_from_payment(call("GET", f"/payments/{reference}", timeout=timeout))

    def refund(self, payment, amount=None, parts=None, key=None) -> None:
        """The whole payment back, keyed by the attempt (a retried cancel never refunds twice),
        or `amount` made of `parts` under the caller's `key`. Raises ProviderUnavailable,
        ProviderRefused (YooKassa canceled the refund)."""
        if not payment.provider_reference:
            return  # never reached YooKassa: nothing was taken there
        data = call("POST", "/refunds", refund_request(payment, amount, parts),
                    key=key or f"refund-{payment.idempotency_key}")
        if data.get("status") == "canceled":
            log.warning("yookassa refused the refund of payment %s", payment.provider_reference)
            raise ProviderRefused()

    def send_settlement_receipt(self, payment) -> str:
        """POST /receipts: the settlement receipt of the handed-over order `payment` paid for,
        keyed by the payment (sending it again never makes a second receipt); YooKassa's id of
        the receipt. Raises ProviderUnavailable, ProviderRefused (YooKassa canceled it)."""
        body = settlement_receipt(payment.order, payment.provider_reference, payment.held)
        data = call("POST", "/receipts", body, key=settlement_key(payment))
        if data.get("status") == "canceled" or not isinstance(data.get("id"), str):
            raise ProviderRefused()
        return data["id"]

    def fetch_payment(self, payment):
        if not payment.provider_reference:
            return None  # YooKassa never named it: no record to read
        data = call("GET", f"/payments/{payment.provider_reference}")
        value, currency = _amount(data)
        status = data.get("status")
        if status == "succeeded":
            refunded = (data.get("refunded_amount") or {}).get("value") or "0"
            try:
                whole = Decimal(str(refunded)) >= Decimal(value)
            except InvalidOperation:
                whole = None
            return RemotePayment(PaymentStatus.SUCCEEDED, Decimal(value), currency, whole)
        if status == "canceled":
            return RemotePayment(PaymentStatus.FAILED, Decimal(value), currency, False)
        return RemotePayment(PaymentStatus.PENDING, Decimal(value), currency, False)
