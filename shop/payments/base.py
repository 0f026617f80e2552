"""The payment provider interface, its errors and the facts providers hand back.

Kept apart from the registry (`shop.payments.providers`) so a provider living in its own module
(`shop.payments.yookassa`) builds on it without an import cycle. Providers never write to the
database: `shop.payments.services` does, from what these methods return.

A provider's life with one payment:

- `start(payment)`: where the shopper goes to pay (a `Started`), opening the payment at the
  provider first when it names payments itself (YooKassa: POST /payments, idempotent);
- `parse_webhook(body, signature)`: a notification read as a `WebhookEvent`, as it claims to be;
- `confirm(event)`: the same event as the provider's API tells it (a notification is never
  trusted as sent when the provider can be asked); None while nothing has happened yet;
- `payment_event(reference, timeout)`: what the provider says happened to a payment, as the event
  a notification would bring (the return page asks, instead of waiting for the notification);
- `refund(payment)`, `fetch_payment(payment)` (reconciliation).
"""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from shop.core.errors import DomainError


class BadWebhook(DomainError):
    message = _l("The payment notification was not accepted.")


class ForbiddenSource(BadWebhook):
    """A notification from an address the provider does not send from."""


class ProviderUnavailable(DomainError):
    """The provider could not be asked (network, timeout, an error answer)."""

    message = _l("The payment provider did not answer.")


class ProviderRefused(ProviderUnavailable):
    """The provider answered, and said no (a 4xx, a refused refund)."""

    message = _l("The payment provider refused the request.")


@dataclass
class WebhookEvent:
    event_id: str
    kind: str  # "payment.succeeded" | "payment.failed" | "refund.succeeded"
    reference: str  # the provider's id of the payment
    amount: str
    currency: str
    object_id: str | None = None  # the notified object when it is not the payment (a refund)


@dataclass
class RefundPart:
    """One part of a partial refund: `quantity` of the order line `line_id` (None: the
    delivery), worth `amount` in all (VAT-inclusive). A provider that sends fiscal receipts
    builds the refund receipt's items from these."""

    line_id: int | None
    quantity: int
    amount: Decimal


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


@dataclass
class Started:
    """What opening a payment gave: where the shopper goes to pay (None: nowhere), the
    provider's id for the payment when it names payments itself, and the event to apply when
    the provider has already decided (paid in another tab before this page asked)."""

    url: str | None
    reference: str | None = None
    event: WebhookEvent | None = None


class Provider:
    code = ""
    label = ""
    # The shopper pays on the provider's site: the browser must land on a page of ours before
    # it is sent there (a form's redirect to another origin is blocked by CSP form-action).
    leaves_site = False
    # The provider gives each payment its id (we learn it from `start`); otherwise we make one.
    names_payments = False
    # The provider sends 54-FZ receipts for the shop (YooKassa): a settlement receipt is due
    # when a prepaid order is handed over (`send_settlement_receipt`).
    sends_receipts = False

    def enabled(self) -> bool:
        return True

    def methods(self) -> list[tuple[str, object]]:
        """The payment methods this provider offers at checkout: (code, label)."""
        return [(self.code, self.label)]

    def start(self, payment) -> Started | None:
        raise NotImplementedError

    def accepts_from(self, address: str | None) -> bool:
        """Whether a notification may come from this client address."""
        return True

    def parse_webhook(self, body: bytes, signature: str | None) -> WebhookEvent | None:
        """The notification as it claims to be; None for an event we do not act on. Raises
        BadWebhook."""
        raise BadWebhook()

    def confirm(self, event: WebhookEvent) -> WebhookEvent | None:
        """The event as the provider's own records tell it, or None when nothing happened yet.

        A signed notification from our own test gateway is its own proof; a provider with an
        API is asked (raises ProviderUnavailable when it cannot be, BadWebhook when it knows
        no such object)."""
        return event

    def payment_event(self, reference: str, timeout: float | None = None) -> WebhookEvent | None:
        """What the provider says happened to the payment it calls `reference`, as the event
        its notification would bring; None when it cannot be asked this way, or nothing
        happened yet. Raises ProviderUnavailable."""
        return None

    def refund(self, payment, amount: Decimal | None = None,
               parts: list[RefundPart] | None = None, key: str | None = None) -> None:
        """Give the money back: the whole payment, or `amount` made of `parts` (refunds by
        line), under the idempotence `key` (the same key never refunds twice). The test gateway
        and cash need no call to anyone."""

    def send_settlement_receipt(self, payment) -> str | None:
        """Send the settlement receipt of the handed-over order `payment` paid for in advance;
        the provider's id of the receipt. Only for a provider that `sends_receipts`; raises
        ProviderUnavailable (ProviderRefused when it said no)."""
        return None

    def fetch_payment(self, payment) -> RemotePayment | None:
        """The payment's state as the provider keeps it, or None when it keeps none to read.

        A card provider asks its API (YooKassa: GET /payments/{id}) and maps the answer to a
        RemotePayment; it raises ProviderUnavailable when it cannot get an answer.
        """
        return None
