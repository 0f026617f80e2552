"""The customer's page in the back office (issue 19.5): profile, orders and lifetime value (paid
orders only, refunds taken off), saved addresses, staff notes, and the account's actions:
deactivate and activate (managers too), erase (admins, through the storefront's own erasure)."""

import re
from datetime import datetime
from decimal import Decimal

import pytest

from shop.accounts import services as accounts
from shop.accounts.models import Address, CustomerNote, User
from shop.audit.models import AuditEntry
from shop.extensions import db as _db
from shop.orders.models import Order
from shop.payments.models import Payment
from shop.returns.models import Refund
from tests.admin.conftest import make_order
from tests.factories import UserFactory, VariantFactory


def _page(client, user_id) -> str:
    response = client.get(f"/admin/customers/details/?id={user_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _section(body: str, css_class: str) -> str:
    return body.split(css_class, 1)[1].split("</table>", 1)[0]


def _notes(body: str) -> list[str]:
    block = body.split('class="list-unstyled customer-notes"', 1)[1].split("</ol>", 1)[0]
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'pre-line">(.*?)</div>', block, re.S)
    ]


@pytest.fixture()
def customer(db):
    return UserFactory(
        roles=["customer"],
        email="anna@example.com",
        full_name="Анна Смирнова",
        phone="+79005550101",
    )


def _orders_of(customer):
    """One order each way: a paid card order partly refunded, a delivered cash order, an unpaid
    card order, a cancelled one; and another customer's paid order."""
    variant = VariantFactory(price=Decimal("1000.00"), stock=100)
    card = make_order(
        variant=variant,
        quantity=2,
        user=customer,
        payment_method="card",
        status="partly_refunded",
        number="L-CARD01",
    )  # 2390.00
    _db.session.add(
        Payment(
            order_id=card.id,
            provider="card",
            amount=card.total,
            status="succeeded",
            idempotency_key="card-1",
        )
    )
    for amount, status in (("1000.00", "succeeded"), ("300.00", "failed")):
        _db.session.add(
            Refund(
                order_id=card.id, method="card", amount=Decimal(amount), status=status, reason="x"
            )
        )
    make_order(
        variant=variant, quantity=1, user=customer, status="delivered", number="L-CASH01"
    )  # 1390.00, cash collected
    make_order(
        variant=variant, quantity=3, user=customer, payment_method="card", number="L-UNPAID"
    )  # 3390.00, never paid
    make_order(
        variant=variant,
        quantity=1,
        user=customer,
        status="cancelled",
        paid_at=datetime(2026, 3, 1),
        number="L-CANCEL",
    )
    make_order(variant=variant, quantity=5, status="delivered", number="L-OTHER1")
    _db.session.commit()
    return card


def test_page_shows_orders_and_lifetime_value_of_paid_orders_less_refunds(
    client, customer, as_role
):
    card = _orders_of(customer)
    as_role("manager")
    body = _page(client, customer.id)
    orders = _section(body, "customer-orders")
    for number in ("L-CARD01", "L-CASH01", "L-UNPAID", "L-CANCEL"):
        assert number in orders
    assert "L-OTHER1" not in body
    assert f'href="/admin/orders/details/?id={card.id}"' in orders
    # 2390.00 - 1000.00 refunded (the failed refund gave nothing back) + 1390.00 cash
    value = re.search(r"lifetime-value[^>]*>([^<]+)<", body).group(1)
    assert re.sub(r"\D", "", value) == "278000"  # 2 780,00 ₽
    assert re.search(r'order-count">\s*4\s*<', body)
    assert re.search(r'paid-count">\s*2\s*<', body)
    assert "anna@example.com" in body and "Анна Смирнова" in body and "+79005550101" in body


def test_page_shows_profile_dates_in_the_readers_language_and_zone(client, customer, as_role):
    customer.create_datetime = datetime(2026, 3, 1, 21, 30)  # 00:30 on 2 March in Moscow
    customer.current_login_at = datetime(2026, 3, 5, 9, 0)
    customer.locale = "en"
    make_order(user=customer, number="L-WHEN01").created_at = datetime(2026, 3, 3, 22, 15)
    _db.session.commit()
    as_role("manager", locale="en")
    body = _page(client, customer.id)
    profile = body.split("customer-profile", 1)[1].split("</dl>", 1)[0]
    assert "2 Mar 2026, 00:30" in profile
    assert "5 Mar 2026, 12:00" in profile
    assert "English" in profile
    assert "4 Mar 2026, 01:15" in _section(body, "customer-orders")


def test_page_shows_saved_addresses_and_notes_newest_first(client, customer, as_role):
    _db.session.add_all(
        [
            Address(
                user_id=customer.id,
                recipient="Анна Смирнова",
                city="Казань",
                street="ул. Баумана, 5",
                postcode="420111",
                is_default=True,
            ),
            Address(user_id=customer.id, recipient="Офис", city="Москва", street="Тверская, 1"),
        ]
    )
    _db.session.add_all(
        [
            CustomerNote(
                user_id=customer.id, text="Старая заметка", created_at=datetime(2026, 1, 1)
            ),
            CustomerNote(
                user_id=customer.id, text="Новая заметка", created_at=datetime(2026, 2, 1)
            ),
        ]
    )
    _db.session.commit()
    as_role("manager")
    body = _page(client, customer.id)
    addresses = _section(body, "customer-addresses")
    assert "Казань, ул. Баумана, 5" in addresses and "Тверская, 1" in addresses
    assert _notes(body) == ["Новая заметка", "Старая заметка"]


def test_page_has_no_orders_addresses_or_notes_yet(client, customer, as_role, tr):
    as_role("manager")
    body = _page(client, customer.id)
    for empty in ("No orders yet.", "No saved addresses.", "No notes yet."):
        assert tr("ru", empty) in body
    assert re.search(r'order-count">\s*0\s*<', body)


def test_staff_page_is_not_a_customer_page(client, as_role, staff):
    other = staff("warehouse")
    as_role("admin")
    response = client.get(f"/admin/customers/details/?id={other.id}")
    assert response.status_code == 302  # Flask-Admin's "record does not exist"
    assert client.get(f"/admin/customers/{other.id}/erase").status_code == 404


# --- Notes -----------------------------------------------------------------------------------


def test_manager_adds_a_note_with_an_audit_entry(client, customer, as_role, token):
    manager = as_role("manager")
    response = client.post(
        f"/admin/customers/{customer.id}/notes",
        data={"text": "  Звонить после 18:00  ", "csrf_token": token()},
    )
    assert response.status_code == 302
    note = _db.session.query(CustomerNote).one()
    assert (note.user_id, note.author_id, note.text) == (
        customer.id,
        manager.id,
        "Звонить после 18:00",
    )
    entry = _db.session.query(AuditEntry).filter_by(action="note").one()
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "User",
        str(customer.id),
        manager.id,
    )
    assert "Звонить после 18:00" in entry.after
    body = _page(client, customer.id)
    assert _notes(body) == ["Звонить после 18:00"]
    assert manager.email in body.split("customer-notes", 1)[1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "The note is empty: write something first."),
        (
            "я" * (accounts.NOTE_MAX_LENGTH + 1),
            "The note is too long (at most %(max)d characters).",
        ),
    ],
)
def test_empty_or_too_long_note_is_refused_and_nothing_written(
    client, customer, as_role, token, tr, text, message
):
    as_role("manager", locale="en")
    response = client.post(
        f"/admin/customers/{customer.id}/notes", data={"text": text, "csrf_token": token()}
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    expected = tr("en", message, max=accounts.NOTE_MAX_LENGTH)
    assert expected in body
    if text.strip():
        assert text in body  # what was typed is kept in the field
    assert _db.session.query(CustomerNote).count() == 0
    assert _db.session.query(AuditEntry).count() == 0


# --- Deactivate and activate -----------------------------------------------------------------


def test_deactivate_and_activate_from_the_page_with_audit_entries(client, customer, as_role, token):
    manager = as_role("manager")
    client.post(f"/admin/customers/deactivate/{customer.id}", data={"csrf_token": token()})
    _db.session.expire_all()
    assert _db.session.get(User, customer.id).active is False
    body = _page(client, customer.id)
    assert f"/admin/customers/activate/{customer.id}" in body
    client.post(f"/admin/customers/activate/{customer.id}", data={"csrf_token": token()})
    _db.session.expire_all()
    assert _db.session.get(User, customer.id).active is True
    actions = [
        (e.action, e.object_id, e.actor_id)
        for e in _db.session.query(AuditEntry).order_by(AuditEntry.id)
    ]
    assert actions == [
        ("deactivate", str(customer.id), manager.id),
        ("activate", str(customer.id), manager.id),
    ]


# --- Erase -----------------------------------------------------------------------------------


@pytest.fixture()
def erase_calls(monkeypatch):
    """Every call of the storefront's erasure (accounts.services.erase_account), recorded."""
    calls = []
    original = accounts.erase_account

    def spy(user, **kwargs):
        calls.append(user.id)
        return original(user, **kwargs)

    monkeypatch.setattr(accounts, "erase_account", spy)
    return calls


def test_erase_asks_for_confirmation_first(client, customer, as_role, token, erase_calls):
    make_order(user=customer)
    as_role("admin")
    page = client.get(f"/admin/customers/{customer.id}/erase")
    assert page.status_code == 200
    assert 'name="email"' in page.get_data(as_text=True)
    wrong = client.post(
        f"/admin/customers/{customer.id}/erase",
        data={"email": "someone@example.com", "csrf_token": token()},
    )
    assert wrong.status_code == 200
    assert "is-invalid" in wrong.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(User, customer.id).email == "anna@example.com"
    assert erase_calls == []
    assert _db.session.query(AuditEntry).count() == 0


def test_erase_goes_through_the_storefront_erasure(client, customer, as_role, token, erase_calls):
    _db.session.add(
        Address(user_id=customer.id, recipient="Анна", city="Казань", street="Баумана, 5")
    )
    _db.session.add(CustomerNote(user_id=customer.id, text="Постоянный покупатель"))
    _db.session.commit()
    order = make_order(user=customer, email="anna@example.com", phone="+79005550101")
    admin = as_role("admin")
    response = client.post(
        f"/admin/customers/{customer.id}/erase",
        data={"email": "Anna@Example.com ", "csrf_token": token()},
    )
    assert response.status_code == 302
    assert erase_calls == [customer.id]
    _db.session.expire_all()
    user = _db.session.get(User, customer.id)
    assert user.email.endswith("@deleted.invalid") and accounts.is_erased(user)
    assert (user.full_name, user.phone, user.active) == (None, None, False)
    assert _db.session.query(Address).count() == 0
    assert _db.session.query(CustomerNote).count() == 0
    kept = _db.session.get(Order, order.id)  # orders stay for accounting, without contacts
    assert kept.user_id == customer.id and kept.total == order.total
    assert (kept.email, kept.phone) == (user.email, "-")
    entry = _db.session.query(AuditEntry).filter_by(action="erase").one()
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "User",
        str(customer.id),
        admin.id,
    )
    assert "anna@example.com" not in (entry.before or "") + (entry.after or "")
    body = _page(client, customer.id)
    assert "anna@example.com" not in body
    assert f"/admin/customers/{customer.id}/erase" not in body  # nothing left to erase
    again = client.get(f"/admin/customers/{customer.id}/erase")
    assert again.status_code == 302


def test_storefront_deletion_is_the_same_erasure(app, customer, erase_calls):
    _db.session.add(CustomerNote(user_id=customer.id, text="Постоянный покупатель"))
    _db.session.commit()
    with app.test_request_context():
        accounts.delete_account(customer, "correct horse 1")
    assert erase_calls == [customer.id]
    assert _db.session.query(CustomerNote).count() == 0
    assert _db.session.query(AuditEntry).count() == 0  # the shopper's own act: no staff entry


def test_erase_service_refuses_staff_and_an_erased_account(app, customer, staff):
    from shop.core.errors import NotFound, ValidationFailed

    member = staff("manager")
    with app.test_request_context():
        with pytest.raises(NotFound):
            accounts.erase_customer(member.id, actor=None)
        accounts.erase_customer(customer.id, actor=member)
        with pytest.raises(ValidationFailed):
            accounts.erase_customer(customer.id, actor=member)
    assert _db.session.query(AuditEntry).filter_by(action="erase").count() == 1


def test_an_erased_account_cannot_be_activated_again(client, customer, as_role, token):
    with client.application.test_request_context():
        accounts.erase_customer(customer.id, actor=None)
    as_role("admin")
    client.post(f"/admin/customers/activate/{customer.id}", data={"csrf_token": token()})
    _db.session.expire_all()
    assert _db.session.get(User, customer.id).active is False
    assert _db.session.query(AuditEntry).filter_by(action="activate").count() == 0


def test_erasure_leaves_no_note_or_contact_in_the_audit_log(client, customer, as_role, token):
    """The log keeps who wrote a note or changed the account, and when; not what the person's
    name, email, phone or the notes about them were (152-FZ erasure)."""
    as_role("admin")
    client.post(f"/admin/customers/{customer.id}/notes",
                data={"text": "Звонить после 18:00, Анна", "csrf_token": token()})
    from shop.audit import services as audit

    audit.record("update", "User", customer.id, before={"phone": "+79005550101"},
                 after={"phone": "+79005550102"})
    _db.session.commit()
    client.post(f"/admin/customers/{customer.id}/erase",
                data={"email": customer.email, "csrf_token": token()})
    entries = _db.session.query(AuditEntry).filter_by(object_type="User",
                                                      object_id=str(customer.id)).all()
    assert {e.action for e in entries} >= {"note", "update", "erase"}
    kept = "".join((e.before or "") + (e.after or "") for e in entries)
    assert "Анна" not in kept and "+7900555010" not in kept
