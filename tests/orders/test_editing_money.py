"""The money of an edited prepaid order (issue 19.3), against the fake YooKassa: a lower total
is refunded with its receipt, a higher one asks for the difference through a second payment,
an unpaid order's attempt for the old total is dropped; and a stock race on PostgreSQL."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from shop.catalog.models import ProductVariant
from shop.extensions import db
from shop.orders import editing
from shop.orders import services as orders
from shop.orders.editing import Edit
from shop.orders.models import EventKind
from shop.orders.services import AwaitingPayment
from shop.payments import edits, providers
from shop.payments import services as payments
from shop.payments.models import Payment, PaymentKind, PaymentStatus
from tests.checkout.helpers import run_together
from tests.payments.fake_yookassa import serve_for
from tests.returns.helpers import fresh, mails, pay_at_fake, place_two_lines


@pytest.fixture()
def yookassa(app):
    fake, stop = serve_for(app)
    yield fake
    stop()


@pytest.fixture()
def paid(db, yookassa):
    """2 × A (1000.00), 3 × B (500.00), delivery 390.00: 3890.00 paid through YooKassa."""
    order = place_two_lines("yookassa_card")
    pay_at_fake(order, yookassa)
    order = fresh(order)
    assert order.status == "paid"
    return order


def refunds_at(fake):
    return [(r["amount"]["value"], r["payment_id"]) for r in fake.refunds.values()]


def test_a_lower_total_is_refunded_with_its_receipt(paid, yookassa):
    a, b = paid.lines
    payment = paid.payments[0]
    data = editing.edit_order(paid.id, Edit(quantities={b.id: 1}))
    assert data["money"] == {"action": "refunded", "amount": "1000.00"}
    assert refunds_at(yookassa) == [("1000.00", payment.provider_reference)]
    body = [call for call in yookassa.api_calls("POST") if call[1] == "/v3/refunds"]
    assert body  # the fake checked that the receipt's items add up to the amount
    o = fresh(paid)
    assert o.total == Decimal("2890.00") and o.status == "paid"
    p = o.payments[0]
    assert (p.status, p.refunded_amount, p.held) == (
        PaymentStatus.SUCCEEDED, Decimal("1000.00"), Decimal("2890.00"))
    assert payments.has_succeeded_payment(o)  # may be prepared
    mail = mails("order_changed")[-1]
    assert "1\u00a0000,00" in mail.body_text


def test_a_cancel_after_a_partial_refund_gives_back_only_the_rest(paid, yookassa):
    b = paid.lines[1]
    editing.edit_order(paid.id, Edit(quantities={b.id: 1}))
    orders.transition(paid.id, "cancelled")
    assert sorted(v for v, _ref in refunds_at(yookassa)) == ["1000.00", "2890.00"]
    assert fresh(paid).payments[0].status == PaymentStatus.REFUNDED


def test_a_refused_refund_undoes_the_edit(paid, yookassa):
    b = paid.lines[1]
    yookassa.refund_outcome = "canceled"
    with pytest.raises(providers.ProviderRefused):
        editing.edit_order(paid.id, Edit(quantities={b.id: 1}))
    o = fresh(paid)
    assert o.total == Decimal("3890.00") and o.lines[1].quantity == 3
    assert o.payments[0].refunded_amount == 0
    assert db.session.get(ProductVariant, b.variant_id).stock == 7
    assert mails("order_changed") == []


def test_a_higher_total_asks_for_the_difference(paid, yookassa):
    a = paid.lines[0]
    data = editing.edit_order(paid.id, Edit(quantities={a.id: 3}))
    assert data["money"] == {"action": "extra", "amount": "1000.00"}
    o = fresh(paid)
    extra = o.payments[-1]
    assert (extra.kind, extra.status, extra.amount) == (
        PaymentKind.EXTRA, PaymentStatus.PENDING, Decimal("1000.00"))
    assert edits.amount_due(o) == Decimal("1000.00")
    mail = mails("order_changed")[-1]
    assert "/payments/orders/view/" in mail.body_text and "/go" in mail.body_text
    # not prepared until paid
    with pytest.raises(AwaitingPayment):
        orders.transition(o.id, "processing")
    # the customer pays the difference at YooKassa
    assert edits.extra_attempt(o) == extra
    payments.payment_page(extra)
    extra = db.session.get(Payment, extra.id)
    yookassa.succeed(extra.provider_reference)
    provider = providers.get("yookassa")
    payments.apply_event(provider, extra, provider.payment_event(extra.provider_reference))
    o = fresh(paid)
    assert o.payments[-1].status == PaymentStatus.SUCCEEDED and o.status == "paid"
    assert o.events[-1].kind == EventKind.EXTRA_PAID
    assert edits.amount_due(o) == 0
    mail = mails("order_changed.extra_paid")[-1]
    assert "1\u00a0000,00" in mail.body_text and "4\u00a0890,00" in mail.body_text
    orders.transition(o.id, "processing")


def test_a_second_edit_replaces_the_asked_difference(paid, yookassa):
    a = paid.lines[0]
    editing.edit_order(paid.id, Edit(quantities={a.id: 3}))
    data = editing.edit_order(paid.id, Edit(quantities={a.id: 2}))
    assert data.get("money") is None  # back to what was paid
    o = fresh(paid)
    assert o.payments[-1].status == PaymentStatus.CANCELLED
    assert edits.extra_attempt(o) is None
    orders.transition(o.id, "processing")


def test_money_for_a_dropped_attempt_is_not_the_orders(db, yookassa):
    order = fresh(place_two_lines("yookassa_card"))
    attempt = order.payments[0]
    payments.payment_page(attempt)
    data = editing.edit_order(order.id, Edit(quantities={order.lines[1].id: 1}))
    assert data["money"] == {"action": "repay", "amount": "2890.00"}
    o = fresh(order)
    assert o.payments[0].status == PaymentStatus.CANCELLED and o.status == "new"
    # the customer pays the old amount on a page left open: flagged for a refund
    attempt = db.session.get(Payment, attempt.id)
    yookassa.succeed(attempt.provider_reference)
    provider = providers.get("yookassa")
    payments.apply_event(provider, attempt, provider.payment_event(attempt.provider_reference))
    o = fresh(order)
    assert o.status == "new" and o.payments[0].status == PaymentStatus.NEEDS_REFUND
    # a new attempt is for the new total
    assert payments.retry(o).amount == Decimal("2890.00")


@pytest.mark.postgres
def test_two_edits_racing_for_the_last_units_never_oversell(app, db):
    first = fresh(place_two_lines("cash"))
    second = fresh(place_two_lines("cash"))
    variant = db.session.get(ProductVariant, first.lines[0].variant_id)
    variant.stock = 3
    db.session.commit()
    # both orders want 3 more of the same variant: only one can have them
    second_line = second.lines[0]
    second_line.variant_id = variant.id
    db.session.commit()
    # Ids read here: the threads must not touch this session's (expired) objects, which
    # would load them through one session from two threads at once.
    first_id, first_line_id = first.id, first.lines[0].id
    second_id, second_line_id = second.id, second_line.id
    jobs = [
        lambda: editing.edit_order(first_id, Edit(quantities={first_line_id: 5})),
        lambda: editing.edit_order(second_id, Edit(quantities={second_line_id: 5})),
    ]
    results, errors = run_together(app, jobs)
    assert len([r for r in results if r is not None]) == 1
    assert len(errors) == 1 and isinstance(errors[0], editing.OutOfStockForEdit)
    db.session.expire_all()
    assert db.session.get(ProductVariant, variant.id).stock == 0
    assert db.session.scalar(select(ProductVariant.stock).where(
        ProductVariant.id == variant.id)) == 0


def test_the_order_page_offers_to_pay_the_difference(paid, yookassa, client):
    a = paid.lines[0]
    page = f"/orders/view/{orders.guest_token(paid)}"
    html = client.get(page + "?lang=en").get_data(as_text=True)
    assert 'data-testid="pay-difference"' not in html  # paid in full: nothing to offer
    editing.edit_order(paid.id, Edit(quantities={a.id: 3}))
    html = client.get(page + "?lang=en").get_data(as_text=True)
    assert 'data-testid="amount-due"' in html
    assert "Pay the difference, ₽1,000.00" in html
    response = client.get(f"/payments{page}/go")
    assert response.status_code == 200  # the page that sends the browser on to YooKassa
    extra = fresh(paid).payments[-1]
    assert extra.kind == PaymentKind.EXTRA and extra.provider_reference
    assert extra.provider_reference in yookassa.payments
    # paid: the offer is gone
    yookassa.succeed(extra.provider_reference)
    provider = providers.get("yookassa")
    payments.apply_event(provider, extra, provider.payment_event(extra.provider_reference))
    html = client.get(page + "?lang=en").get_data(as_text=True)
    assert 'data-testid="pay-difference"' not in html
