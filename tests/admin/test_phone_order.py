"""The back office's phone order page (admin/phone_order.py, issue 19.3): find a customer or
type a new one, lines by SKU, delivery and payment; the order placed through the storefront's
service; bad input said in words with nothing created; managers and admins only."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.cart.models import Cart
from shop.extensions import db as _db
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order
from tests.checkout.helpers import stocked
from tests.factories import DeliveryMethodFactory, UserFactory

PAGE = "/admin/orders/phone/"


@pytest.fixture()
def shop_setup(db):
    return {
        "courier": DeliveryMethodFactory(name_ru="Курьер", name_en="Courier",
                                         price=Decimal("300.00"), needs_address=True),
        "pickup": DeliveryMethodFactory(name_ru="Самовывоз", name_en="Pickup",
                                        price=Decimal("0.00"), needs_address=False),
        "shirt": stocked(stock=5, price="1500.00", sku="PH-SHIRT"),
    }


def form_key(body: str) -> str:
    return re.search(r'name="form_key" type="hidden" value="([^"]+)"', body).group(1)


def fields(client, token, setup, customer=None, **overrides):
    """What the page posts for 2 × PH-SHIRT by courier, cash, consent given."""
    page = client.get(PAGE + (f"?customer={customer.id}" if customer else "")).get_data(
        as_text=True)
    data = {
        "csrf_token": token(PAGE),
        "form_key": form_key(page),
        "customer_id": str(customer.id) if customer else "",
        "name": "Анна Звонкова",
        "email": "anna@example.com",
        "phone": "+7 900 765-43-21",
        "locale": "ru",
        "sku": ["PH-SHIRT", ""],
        "quantity": ["2", "1"],
        "delivery_method": str(setup["courier"].id),
        "address": "101000, Москва, ул. Мясницкая, 1",
        "payment_method": "cash",
        "consent": "y",
    }
    data.update(overrides)
    return data


def orders():
    return _db.session.scalars(select(Order)).all()


def test_the_page_in_both_languages(client, as_role, shop_setup):
    as_role("manager", locale="en")
    body = client.get(PAGE).get_data(as_text=True)
    assert "New phone order" in body and "Find a customer" in body
    assert "Courier" in body and "Cash on delivery" in body
    assert 'type="search"' in body
    as_role("manager", locale="ru")
    body = client.get(PAGE).get_data(as_text=True)
    assert '<html lang="ru">' in body and "Самовывоз" in body


def test_an_existing_customer_is_found_and_gets_the_order(client, as_role, token, shop_setup):
    customer = UserFactory(email="olga@example.com", full_name="Ольга Смирнова",
                           phone="+7 (911) 222-33-44", locale="en")
    UserFactory(email="other@example.com", full_name="Пётр")
    as_role("manager", locale="en")
    for text in ("ОЛЬГА", "olga@", "9112223344"):
        body = client.get(PAGE, query_string={"q": text}).get_data(as_text=True)
        assert "olga@example.com" in body and "other@example.com" not in body, text
    staff_member = UserFactory(roles=["warehouse"], email="packer@example.com")
    assert "packer@example.com" not in client.get(
        PAGE, query_string={"q": "packer"}).get_data(as_text=True)
    assert staff_member.id
    data = fields(client, token, shop_setup, customer=customer)
    response = client.post(f"{PAGE}?customer={customer.id}", data=data)
    assert response.status_code == 303
    (order,) = orders()
    assert response.location.endswith(f"/admin/orders/details/?id={order.id}")
    assert order.user_id == customer.id and order.email == "olga@example.com"
    assert order.total == Decimal("3300.00") and order.payment_method == "cash"
    _db.session.refresh(shop_setup["shirt"])
    assert shop_setup["shirt"].stock == 3
    page = client.get(response.location).get_data(as_text=True)
    assert f"Order {order.number} placed." in page
    assert "Order placed by phone" in page


def test_a_new_customer_pays_by_card_from_the_emailed_link(client, as_role, token, shop_setup):
    as_role("manager", locale="en")
    data = fields(client, token, shop_setup, payment_method="card", locale="en",
                  delivery_method=str(shop_setup["pickup"].id), address="")
    response = client.post(PAGE, data=data)
    assert response.status_code == 303
    (order,) = orders()
    assert order.user_id is None and order.shipping_address is None and order.locale == "en"
    page = client.get(response.location).get_data(as_text=True)
    assert "The payment link was emailed to anna@example.com" in page
    assert "Payment link emailed to the customer" in page
    link_mail = _db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "order_payment_link")).one()
    assert link_mail.recipient == "anna@example.com" and "Pay for your order" in link_mail.subject
    # the link opens the test gateway's page for this order
    link = re.search(r"http://\S+/go", link_mail.body_text).group(0)
    go = client.get(link.split("127.0.0.1:8000", 1)[1])
    assert go.status_code == 302 and "/payments/test-gateway/" in go.location
    # sent again from the order's page
    again = client.post(f"/admin/orders/{order.id}/payment-link",
                        data={"csrf_token": token(PAGE)})
    assert again.status_code == 302
    assert _db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == "order_payment_link")) == 2


def nothing_created(shirt_stock=5):
    _db.session.expire_all()
    return (orders() == [] and _db.session.scalar(select(func.count(Cart.id))) == 0
            and _db.session.scalar(select(func.count(OutboxMessage.id))) == 0)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"sku": ["NO-SUCH-SKU"], "quantity": ["1"]},
     "There is no product on sale with the SKU NO-SUCH-SKU."),
    ({"sku": ["PH-SHIRT"], "quantity": ["0"]}, "Quantity must be a whole number from 1 to 99."),
    ({"sku": ["PH-SHIRT"], "quantity": ["abc"]}, "Quantity must be a whole number from 1 to 99."),
    ({"sku": [""], "quantity": ["1"]}, "Add at least one line to the order."),
    ({"sku": ["PH-SHIRT"], "quantity": ["9"]}, "Not enough stock"),
    ({"address": ""}, "Enter a delivery address."),
    ({"consent": ""}, "Ask the customer to accept the public offer"),
    ({"email": "not-an-email"}, "Enter a valid email."),
    ({"delivery_method": "999999"}, "Not a valid choice"),
    ({"payment_method": "bitcoin"}, "Not a valid choice"),
    ({"customer_id": "999999"}, "Customer not found."),
    ({"form_key": "forged"}, "This form has expired."),
])
def test_bad_input_is_said_and_nothing_is_created(client, as_role, token, shop_setup, overrides,
                                                  message):
    as_role("manager", locale="en")
    data = fields(client, token, shop_setup, **overrides)
    response = client.post(PAGE, data=data)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert message in body
    # what was typed is kept
    assert 'value="Анна Звонкова"' in body
    assert nothing_created()
    _db.session.refresh(shop_setup["shirt"])
    assert shop_setup["shirt"].stock == 5


def test_without_a_csrf_token_nothing_is_created(client, as_role, token, shop_setup):
    as_role("manager", locale="en")
    data = fields(client, token, shop_setup)
    data.pop("csrf_token")
    response = client.post(PAGE, data=data)
    assert response.status_code in (200, 400)
    assert nothing_created()


def test_the_same_form_twice_gives_one_order(client, as_role, token, shop_setup):
    as_role("manager", locale="en")
    data = fields(client, token, shop_setup)
    first = client.post(PAGE, data=data)
    second = client.post(PAGE, data=data)
    assert first.location == second.location and len(orders()) == 1


def test_variant_search(client, as_role, shop_setup):
    stocked(stock=0, sku="PH-GONE", product__name_ru="Рубашка распродана")
    as_role("manager", locale="en")
    fragment = client.get("/admin/orders/phone/variants", query_string={"vq": "ph-shirt"})
    body = fragment.get_data(as_text=True)
    assert "PH-SHIRT" in body and 'data-sku="PH-SHIRT"' in body and "<html" not in body
    body = client.get(PAGE, query_string={"vq": "ph-"}).get_data(as_text=True)
    assert "PH-SHIRT" in body and "PH-GONE" in body and "Out of stock" in body
    body = client.get(PAGE, query_string={"vq": "zzz"}).get_data(as_text=True)
    assert "Nothing found" in body


@pytest.mark.parametrize("role", ["warehouse", "customer"])
def test_other_roles_are_refused(client, as_role, token, shop_setup, role):
    as_role(role)
    assert client.get(PAGE).status_code == 403
    assert client.get("/admin/orders/phone/variants?vq=x").status_code == 403
    assert client.post(PAGE, data={"csrf_token": token("/")}).status_code == 403
    assert orders() == []


def test_the_orders_list_links_the_page_for_managers_only(client, as_role, shop_setup):
    as_role("manager", locale="en")
    assert "New phone order" in client.get("/admin/orders/").get_data(as_text=True)
    as_role("warehouse", locale="en")
    assert "New phone order" not in client.get("/admin/orders/").get_data(as_text=True)
