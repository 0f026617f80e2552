"""Invoices and packing slips (admin/order_documents.py, issue 19.3): the invoice names the
seller from the settings, the buyer, the lines with their VAT rate and amount, the totals; the
packing slip has SKUs, quantities and the address, and no prices; many orders print as one
page with a document per A4 sheet; every staff role prints, nobody else."""

import re
from decimal import Decimal

import pytest

from shop.extensions import db as _db
from tests.admin.conftest import make_order
from tests.checkout.helpers import place, stocked
from tests.factories import DeliveryMethodFactory, VariantFactory


@pytest.fixture()
def seller(app, monkeypatch):
    for key, value in {"LEGAL_NAME": "ООО «Лавка»", "LEGAL_INN": "7701234567",
                       "LEGAL_KPP": "770101001", "LEGAL_ADDRESS": "Москва, ул. Тверская, 1",
                       "LEGAL_BANK": "АО «Банк»", "LEGAL_ACCOUNT": "40702810900000000001"}.items():
        monkeypatch.setitem(app.config, key, value)


def vat_order():
    """2 × 610.00 at 22% and 1 × 110.00 at 10%, delivery 122.00 at 22%."""
    standard = stocked(price="610.00", sku="INV-22", product__vat_rate="22")
    order = place(standard, quantity=2,
                  method=DeliveryMethodFactory(price=Decimal("122.00"), free_from=None))
    reduced = stocked(price="110.00", sku="INV-10", product__vat_rate="10")
    line = order.lines[0]
    from shop.orders.models import OrderLine

    order.lines.append(OrderLine(variant_id=reduced.id, product_name="Книга", sku="INV-10",
                                 unit_price=Decimal("110.00"), quantity=1,
                                 line_total=Decimal("110.00"), vat_rate="10"))
    order.subtotal += Decimal("110.00")
    order.total += Decimal("110.00")
    _db.session.commit()
    assert line.vat_rate == "22"
    return order


def cells(row_html):
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                   row_html, re.S)]


def test_the_invoice(client, as_role, seller):
    order = vat_order()
    as_role("manager", locale="en")
    response = client.get(f"/admin/orders/{order.id}/invoice")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert f"Invoice {order.number}" in body
    for detail in ("ООО «Лавка»", "7701234567", "770101001", "Москва, ул. Тверская, 1",
                   "40702810900000000001"):
        assert detail in body
    assert order.customer_name in body and order.email in body and order.phone in body
    rows = [cells(r) for r in re.findall(r'<tr class="invoice-line">(.*?)</tr>', body, re.S)]
    assert [r[1] for r in rows] == ["INV-22", "INV-10", ""]
    assert rows[0][5] == "VAT 22%" and "220.00" in rows[0][6]  # 1220 × 22/122
    assert rows[1][5] == "VAT 10%" and "10.00" in rows[1][6]  # 110 × 10/110
    assert rows[2][2].startswith("Delivery") and "22.00" in rows[2][6]
    assert re.search(r"including VAT 22%: ₽242[.,]00", body)
    assert re.search(r"including VAT 10%: ₽10[.,]00", body)
    assert "Total to pay" in body and "missing" not in body
    assert "seller details are not complete" not in body
    # 1220 + 110 + 122 delivery, written out under the figures
    assert "Items in all: 3, to the amount of ₽1,452.00." in body
    assert "One thousand, four hundred and fifty-two roubles 00 kopecks" in body


def test_the_invoice_says_when_seller_details_are_missing(client, as_role):
    order = make_order()
    as_role("manager", locale="en")
    body = client.get(f"/admin/orders/{order.id}/invoice").get_data(as_text=True)
    assert "The seller details are not complete" in body and "LEGAL_INN" in body


def test_the_packing_slip_has_no_prices(client, as_role):
    order = make_order(quantity=3)
    as_role("warehouse", locale="en")
    body = client.get(f"/admin/orders/{order.id}/packing-slip").get_data(as_text=True)
    assert f"Packing slip {order.number}" in body
    assert order.lines[0].sku in body and order.shipping_address in body
    (row,) = re.findall(r'<tr class="slip-line">(.*?)</tr>', body, re.S)
    assert cells(row)[2] == "3"
    assert "₽" not in body and "RUB" not in body and "VAT" not in body


def test_the_russian_documents(client, as_role, seller):
    order = make_order()
    as_role("manager", locale="ru")
    for url in (f"/admin/orders/{order.id}/invoice", f"/admin/orders/{order.id}/packing-slip"):
        body = client.get(url).get_data(as_text=True)
        assert '<html lang="ru">' in body and order.number in body


def test_many_orders_print_one_document_per_page(client, as_role, token, seller):
    first, second = make_order(), make_order(variant=VariantFactory(stock=5))
    as_role("warehouse", locale="en")
    response = client.post("/admin/orders/action/", data={
        "csrf_token": token("/admin/orders/"), "action": "print_packing_slips",
        "rowid": [str(second.id), str(first.id), "abc"]})
    assert response.status_code == 302
    assert "/admin/orders/documents/packing-slip?id=" in response.location
    body = client.get(response.location).get_data(as_text=True)
    assert body.count('<article class="document"') == 2
    assert body.index(second.number) < body.index(first.number)
    assert "2 documents, one per page" in body
    response = client.post("/admin/orders/action/", data={
        "csrf_token": token("/admin/orders/"), "action": "print_invoices",
        "rowid": [str(first.id), str(second.id)]})
    body = client.get(response.location).get_data(as_text=True)
    assert body.count("Invoice ") >= 2 and body.count('<article class="document"') == 2
    css = client.get(re.search(r'href="([^"]*documents\.css[^"]*)"', body).group(1))
    text = css.get_data(as_text=True)
    assert "size: A4" in text and "break-after: page" in text


@pytest.mark.parametrize("url", [
    "/admin/orders/999999/invoice",
    "/admin/orders/999999/packing-slip",
    "/admin/orders/documents/invoice",
    "/admin/orders/documents/invoice?id=abc",
    "/admin/orders/documents/receipt?id=1",
])
def test_unknown_documents_are_404(client, as_role, url):
    as_role("admin")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["customer", None])
def test_only_staff_print(client, as_role, role):
    order = make_order()
    if role:
        as_role(role)
    for url in (f"/admin/orders/{order.id}/invoice", f"/admin/orders/{order.id}/packing-slip",
                f"/admin/orders/documents/invoice?id={order.id}"):
        response = client.get(url)
        assert response.status_code == (403 if role else 302), url
