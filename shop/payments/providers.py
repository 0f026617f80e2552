"""Payment providers: one small interface, two implementations.

`start` says where the shopper goes after placing the order (None: nowhere, e.g. cash);
`parse_webhook` checks a callback's signature and reads it as a `WebhookEvent`; `refund` gives
money back. Providers never touch the database: `shop.payments.services` does.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from shop.core.errors import DomainError


class BadWebhook(DomainError):
    message = _l("The payment notification was not accepted.")


@dataclass
class WebhookEvent:
    event_id: str
    kind: str  # "payment.succeeded" | "payment.failed"
    reference: str
    amount: str
    currency: str


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


class CashOnDelivery(Provider):
    code = "cash"
    label = _l("Cash on delivery")

    def start(self, payment):
        return None


class TestGateway(Provider):
    """A built-in card gateway for demos and tests: a hosted page and HMAC-signed webhooks."""

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


PROVIDERS = {p.code: p for p in (CashOnDelivery(), TestGateway())}


def get(code) -> Provider:
    provider = PROVIDERS.get(code)
    if provider is None:
        raise BadWebhook()
    return provider


def available() -> list[Provider]:
    return [p for p in PROVIDERS.values() if p.enabled()]
