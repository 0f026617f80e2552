"""Payment providers: one small interface, two implementations.

`start` says where the shopper goes after placing the order (None: nowhere, e.g. cash);
`parse_webhook` checks a callback's signature and reads it as a `WebhookEvent`; `refund` gives
money back; `fetch_payment` reads a payment back from the provider, for reconciliation (a
notification is never the only word on where the money is). Providers never write to the
database: `shop.payments.services` does.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from shop.core.errors import DomainError
from shop.payments.models import PaymentStatus


class BadWebhook(DomainError):
    message = _l("The payment notification was not accepted.")


@dataclass
class WebhookEvent:
    event_id: str
    kind: str  # "payment.succeeded" | "payment.failed"
    reference: str
    amount: str
    currency: str


class ProviderUnavailable(DomainError):
    """The provider could not be asked (network, timeout, an error answer)."""

    message = _l("The payment provider did not answer.")


@dataclass
class RemotePayment:
    """A payment as its provider sees it, read back from the provider.

    `status` uses our words (shop.payments.models.PaymentStatus): "succeeded" means the money was
    taken. `amount`/`currency` are None when the provider does not report them; `refunded` is
    None when the provider cannot tell whether it gave the money back.
    """

    status: str
    amount: Decimal | None = None
    currency: str | None = None
    refunded: bool | None = None


class Provider:
    code = ""
    label = ""

    def enabled(self) -> bool:
        return True

    def start(self, payment) -> str | None:
        raise NotImplementedError

    def parse_webhook(self, body: bytes, signature: str | None) -> WebhookEvent:
        raise BadWebhook()

    def refund(self, payment) -> None:
        """Give the money back (the test gateway and cash need no call to anyone)."""

    def fetch_payment(self, payment) -> RemotePayment | None:
        """The payment's state as the provider keeps it, or None when it keeps none to read.

        A card provider asks its API (YooKassa: GET /payments/{id}) and maps the answer to a
        RemotePayment; it raises ProviderUnavailable when it cannot get an answer.
        """
        return None


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
        return url_for("payments.gateway_page", reference=payment.provider_reference)

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


PROVIDERS = {p.code: p for p in (CashOnDelivery(), TestGateway())}


def get(code) -> Provider:
    provider = PROVIDERS.get(code)
    if provider is None:
        raise BadWebhook()
    return provider


def available() -> list[Provider]:
    return [p for p in PROVIDERS.values() if p.enabled()]
