"""VAT rates in the back office: staff choose a product's and a delivery method's rate; a rate
not on the list is refused and changes nothing; the order list tells the two bank cards apart."""

import pytest
from sqlalchemy import select

from shop.catalog.models import Product
from shop.shipping.models import DeliveryMethod
from tests.admin.test_catalog import product_form
from tests.factories import CategoryFactory, DeliveryMethodFactory


@pytest.mark.parametrize(("lang", "label"), [("en", "VAT 10%"), ("ru", "НДС 10%")])
def test_the_product_form_offers_the_rates(client, db, as_role, lang, label):
    as_role("manager")
    body = client.get(f"/admin/products/new/?lang={lang}").get_data(as_text=True)
    assert 'name="vat_rate"' in body and label in body


def test_a_new_product_takes_the_chosen_rate(client, db, as_role, token):
    as_role("manager")
    category = CategoryFactory()
    response = client.post("/admin/products/new/", data=product_form(category, token(),
                                                                     vat_rate="10"))
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    assert db.session.scalar(select(Product)).vat_rate == "10"


def test_a_new_product_without_a_rate_gets_22(client, db, as_role, token):
    as_role("manager")
    category = CategoryFactory()
    client.post("/admin/products/new/", data=product_form(category, token()))
    assert db.session.scalar(select(Product)).vat_rate == "22"


def test_delivery_method_rate(client, db, as_role, token):
    as_role("manager")
    method = DeliveryMethodFactory(code="pickup", name_ru="Самовывоз")
    assert method.vat_rate == "22"
    csrf = token()
    form = {"csrf_token": csrf, "code": "pickup", "name_ru": "Самовывоз", "price": "0"}
    response = client.post(f"/admin/delivery/edit/?id={method.id}",
                           data=dict(form, vat_rate="none"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(DeliveryMethod, method.id).vat_rate == "none"
    # a rate not on the list: the form again, nothing changed
    response = client.post(f"/admin/delivery/edit/?id={method.id}",
                           data=dict(form, vat_rate="18", price="10"))
    assert response.status_code == 200
    db.session.expire_all()
    method = db.session.get(DeliveryMethod, method.id)
    assert method.vat_rate == "none" and method.price == 0


def test_the_order_filter_tells_the_bank_cards_apart(client, db, as_role):
    as_role("manager")
    body = client.get("/admin/orders/?lang=en").get_data(as_text=True)
    assert "Bank card (test gateway)" in body and "Bank card (YooKassa)" in body


@pytest.mark.parametrize(("status", "error", "text"), [
    ("failed", "no answer: HTTP 500",
     "Settlement receipt not sent: no answer: HTTP 500. It will be sent again."),
    ("sent", None, "Settlement receipt sent"),
])
def test_staff_see_the_settlement_receipt_on_the_order(client, db, as_role, status, error,
                                                       text):
    from decimal import Decimal

    from shop.payments.models import FiscalReceipt, Payment
    from tests.checkout.helpers import place

    as_role("manager")
    order = place(payment="cash")
    payment = Payment(order=order, provider="yookassa", amount=order.total, currency="RUB",
                      status="succeeded", provider_reference="pay-1",
                      idempotency_key=f"{order.number}-9")
    db.session.add(payment)
    db.session.flush()
    db.session.add(FiscalReceipt(payment_id=payment.id, kind="settlement", status=status,
                                 attempts=1, last_error=error))
    db.session.commit()
    assert order.total > Decimal("0")
    body = client.get(f"/admin/orders/details/?id={order.id}&lang=en").get_data(as_text=True)
    assert f'data-receipt-status="{status}"' in body and text in body


def test_the_invoice_shows_the_vat(client, db, as_role):
    from decimal import Decimal

    from tests.checkout.helpers import place, stocked
    from tests.orders.test_vat_lines import vat_shown

    as_role("manager")
    variant = stocked(price="610.00", product__vat_rate="22")
    order = place(variant, method=DeliveryMethodFactory(price=Decimal("122.00"), free_from=None))
    body = client.get(f"/admin/orders/{order.id}/invoice?lang=en").get_data(as_text=True)
    assert vat_shown(body, "en", "22", "132")
