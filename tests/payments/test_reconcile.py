"""`manage.py payments reconcile`: payments against their provider and their orders.

Exit code 0 when all agree; 1 and one line per mismatch (order number, payment id and reference,
what we have, what is wrong) otherwise. The command changes nothing.
"""

from decimal import Decimal

import pytest
from sqlalchemy import update

from shop.extensions import db as _db
from shop.orders.models import Order
from shop.orders.services import transition
from shop.payments import providers
from shop.payments.models import Payment, PaymentEvent, PaymentStatus
from shop.payments.reconcile import compare, reconcile
from tests.checkout.helpers import place
from tests.payments.test_webhooks import body_for, post


def run(app):
    return app.test_cli_runner().invoke(args=["payments", "reconcile"])


def force(model, row_id, **values):
    """Write a status behind the services' back: the state older code (or a bug) left."""
    _db.session.execute(update(model).where(model.id == row_id).values(**values))
    _db.session.commit()
    _db.session.expire_all()


def test_all_agree_exit_0(app, client, db):
    paid = place(payment="card")
    post(client, body_for(paid.payments[0]))
    place(payment="card")  # waiting for its payment
    cash = place(payment="cash")
    for step in ("processing", "shipped", "delivered"):  # cash is paid at the door
        transition(cash.id, step)
    cancelled = place(payment="card")
    transition(cancelled.id, "cancelled")
    result = run(app)
    assert result.exit_code == 0, result.output
    assert "No mismatches" in result.output


def test_a_charge_recorded_as_cancelled_is_listed(app, client, db):
    """What older code left: the payment cancelled with its order, the gateway's success stored
    as an event and ignored. The gateway's record (its stored events) says it charged."""
    order = place(payment="card")
    payment = order.payments[0]
    transition(order.id, "cancelled")
    _db.session.add(
        PaymentEvent(provider="card", event_id="evt_old", payment_id=payment.id,
                     kind="payment.succeeded")
    )
    _db.session.commit()
    result = run(app)
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"order {order.number}, payment {payment.id} ")
    assert payment.provider_reference in line
    assert "we have cancelled" in line and "the provider says succeeded" in line


def test_money_awaiting_a_refund_is_listed_until_refunded(app, client, db):
    from shop.payments.services import refund_late_payment

    order = place(payment="card")
    payment = order.payments[0]
    transition(order.id, "cancelled")
    post(client, body_for(payment))
    result = run(app)
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert f"order {order.number}, payment {payment.id}" in line
    assert "we have needs_refund" in line and "refund it" in line
    refund_late_payment(payment.id)
    assert run(app).exit_code == 0


def test_local_checks(app, client, db):
    # a success left on a cancelled order by older code
    old_late = place(payment="card")
    transition(old_late.id, "cancelled")
    force(Payment, old_late.payments[0].id, status=PaymentStatus.SUCCEEDED)
    _db.session.add(
        PaymentEvent(provider="card", event_id="evt_a", payment_id=old_late.payments[0].id,
                     kind="payment.succeeded")
    )
    # a card order shipped without being paid (issue 13 item 7, before the fix)
    shipped = place(payment="card")
    force(Order, shipped.id, status="shipped")
    # a pending payment on a cancelled order
    stale = place(payment="card")
    force(Order, stale.id, status="cancelled")
    _db.session.commit()
    result = run(app)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3, lines
    by_order = {line.split(",")[0].split(":")[0]: line for line in lines}
    assert "refund it" in by_order[f"order {old_late.number}"]
    assert "we have order shipped" in by_order[f"order {shipped.number}"]
    assert "no succeeded payment" in by_order[f"order {shipped.number}"]
    line = by_order[f"order {stale.number}"]
    assert f"payment {stale.payments[0].id}" in line and "we have pending" in line
    assert "should have been cancelled" in line
    assert "3 mismatch(es)" in result.stderr


def test_the_command_changes_nothing(app, client, db):
    order = place(payment="card")
    force(Order, order.id, status="processing")
    run(app)
    _db.session.expire_all()
    assert order.status == "processing" and order.payments[0].status == "pending"


class FakeProvider(providers.Provider):
    """A provider that answers from a dict, or is down."""

    code = "fake"

    def __init__(self, answer):
        self.answer = answer

    def fetch_payment(self, payment):
        if self.answer is None:
            raise providers.ProviderUnavailable()
        return self.answer


@pytest.fixture()
def fake(monkeypatch):
    def install(answer):
        monkeypatch.setitem(providers.PROVIDERS, "card", FakeProvider(answer))

    return install


def test_an_unreachable_provider_is_a_mismatch(app, client, db, fake):
    order = place(payment="card")
    fake(None)
    result = run(app)
    assert result.exit_code == 1
    assert f"order {order.number}, payment" in result.output
    assert "could not ask the provider" in result.output


@pytest.mark.parametrize(
    ("ours", "remote", "problem"),
    [
        ("pending", providers.RemotePayment("pending"), None),
        ("cancelled", providers.RemotePayment("failed"), None),
        ("succeeded", providers.RemotePayment("succeeded", refunded=None), None),
        ("refunded", providers.RemotePayment("succeeded", refunded=None), None),
        ("refunded", providers.RemotePayment("refunded"), None),
        ("needs_refund", providers.RemotePayment("succeeded"), None),
        ("cancelled", providers.RemotePayment("succeeded"), "we have not recorded it"),
        ("succeeded", providers.RemotePayment("pending"), "no money was taken"),
        ("refunded", providers.RemotePayment("succeeded", refunded=False), "shows no refund"),
        ("succeeded", providers.RemotePayment("succeeded", refunded=True), "refunded"),
        ("succeeded", providers.RemotePayment("succeeded", Decimal("1.00"), "RUB"), "1.00 RUB"),
    ],
)
def test_compare(ours, remote, problem):
    payment = Payment(status=ours, amount=Decimal("1390.00"), currency="RUB")
    found = compare(payment, remote)
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_cash_has_no_provider_record(app, db):
    order = place(payment="cash")
    assert providers.get("cash").fetch_payment(order.payments[0]) is None
    assert reconcile() == []
