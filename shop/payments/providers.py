"""Payment providers: the registry, cash on delivery and the built-in test card gateway.

The interface (`Provider`) and what providers hand back live in `shop.payments.base`, and are
named here too for the code that reads them as `providers.X`; YooKassa lives in
`shop.payments.yookassa`. A provider offers one or more payment methods at checkout (an order's
`payment_method`): cash and the test gateway one each, YooKassa a bank card and СБП.
"""

import hashlib
import hmac
import json

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from shop.payments.base import (
    BadWebhook,
    ForbiddenSource,
    Provider,
    ProviderRefused,
    ProviderUnavailable,
    RemotePayment,
    Started,
    WebhookEvent,
)
from shop.payments.models import PaymentStatus
from shop.payments.yookassa import YooKassa

__all__ = [
    "PROVIDERS",
    "BadWebhook",
    "CashOnDelivery",
    "ForbiddenSource",
    "Provider",
    "ProviderRefused",
    "ProviderUnavailable",
    "RemotePayment",
    "Started",
    "TestGateway",
    "WebhookEvent",
    "available",
    "available_methods",
    "for_method",
    "get",
    "method_label",
]


class CashOnDelivery(Provider):
    """Paid to the courier: no provider holds a record of it, so fetch_payment stays None."""

    code = "cash"
    label = _l("Cash on delivery")

    def start(self, payment):
        return None


class TestGateway(Provider):
    """A built-in card gateway for demos and tests: a hosted page and HMAC-signed webhooks.

    It plays the bank inside the shop and keeps no books of its own: all it ever does is sign an
    event and deliver it to the webhook handler, which stores every verified event in
    PaymentEvent (even one it then ignores). So its view of a payment, in `fetch_payment`, is
    those stored events: the card was charged when a "payment.succeeded" event was delivered.
    What this can catch is our Payment row disagreeing with what the gateway told us (a charge
    recorded as cancelled, say); what it cannot catch is an event that never reached the
    handler, or a refund (its `refund` is instant and leaves no trace, so `refunded` is None).
    """

    code = "card"
    label = _l("Bank card (test gateway)")

    def enabled(self) -> bool:
        return bool(
            current_app.config.get("TEST_GATEWAY_ENABLED")
            and current_app.config.get("TEST_GATEWAY_SECRET")
        )

    def _secret(self) -> bytes:
        return str(current_app.config["TEST_GATEWAY_SECRET"]).encode()

    def sign(self, body: bytes) -> str:
        return hmac.new(self._secret(), body, hashlib.sha256).hexdigest()

    def start(self, payment):
        return Started(url_for("payments.gateway_page", reference=payment.provider_reference))

    def event_body(self, event_id, kind, payment) -> bytes:
        return json.dumps(
            {
                "id": event_id,
                "type": kind,
                "reference": payment.provider_reference,
                "amount": str(payment.amount),
                "currency": payment.currency,
            },
            sort_keys=True,
        ).encode()

    def parse_webhook(self, body, signature):
        if not self.enabled():
            raise BadWebhook()
        expected = self.sign(body or b"")
        if not signature or not hmac.compare_digest(expected, str(signature)):
            raise BadWebhook()
        try:
            data = json.loads(body)
            event = WebhookEvent(
                event_id=str(data["id"])[:64],
                kind=str(data["type"]),
                reference=str(data["reference"]),
                amount=str(data["amount"]),
                currency=str(data["currency"]),
            )
        except (ValueError, KeyError, TypeError):
            raise BadWebhook() from None
        if event.kind not in ("payment.succeeded", "payment.failed") or not event.event_id:
            raise BadWebhook()
        return event

    def fetch_payment(self, payment):
        kinds = {event.kind for event in payment.events}
        if "payment.succeeded" in kinds:
            status = PaymentStatus.SUCCEEDED
        elif "payment.failed" in kinds:
            status = PaymentStatus.FAILED
        else:
            status = PaymentStatus.PENDING
        # Each event's amount was checked against the payment when it was accepted, and is not
        # kept apart from it: there is no second figure to compare.
        return RemotePayment(status=status)


PROVIDERS = {p.code: p for p in (CashOnDelivery(), TestGateway(), YooKassa())}


def get(code) -> Provider:
    provider = PROVIDERS.get(code)
    if provider is None:
        raise BadWebhook()
    return provider


def available() -> list[Provider]:
    return [p for p in PROVIDERS.values() if p.enabled()]


def available_methods() -> list[tuple[str, object]]:
    """(code, label) of every payment method offered at checkout now, in the providers' order."""
    return [method for provider in available() for method in provider.methods()]


def for_method(method: str) -> Provider:
    """The provider that takes payments by `method` (an order's payment_method), enabled or
    not: an order keeps its method when the shop stops offering it. Raises BadWebhook for a
    method no provider has."""
    for provider in PROVIDERS.values():
        if any(code == method for code, _label in provider.methods()):
            return provider
    raise BadWebhook()


def method_label(method: str):
    for provider in PROVIDERS.values():
        for code, label in provider.methods():
            if code == method:
                return label
    return method
