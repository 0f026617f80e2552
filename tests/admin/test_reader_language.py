"""The back office names products, delivery methods and timeline notes in the reader's language,
whatever language the order was placed in (QA findings: top sellers, delivery, timeline, favicon).
"""

import csv
import io
import re
from decimal import Decimal

import pytest

from shop.orders.models import OrderEvent
from tests.admin.conftest import make_order
from tests.factories import DeliveryMethodFactory, ProductFactory, VariantFactory


def _top_products_table(body: str) -> str:
    return body.split('class="table table-sm top-products"', 1)[1].split("</table>", 1)[0]


def _english_order(variant, quantity):
    """An order placed on the English storefront: snapshots in English."""
    order = make_order(variant=variant, quantity=quantity)
    order.locale = "en"
    order.lines[0].product_name = variant.product.name_en
    return order


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_top_sellers_group_by_product_in_the_readers_language(client, db, as_role, lang):
    product = ProductFactory(name_ru="Чайник", name_en="Kettle")
    variant = VariantFactory(product=product, price=Decimal("100.00"), stock=50)
    russian = make_order(variant=variant, quantity=2)  # snapshot "Чайник"
    english = _english_order(variant, quantity=3)  # snapshot "Kettle"
    gone = make_order(quantity=1)  # its variant is deleted later: grouped by snapshot name
    gone.lines[0].product_name = "Снятый товар"
    gone.lines[0].variant_id = None
    for order in (russian, english, gone):  # cash collected: paid sales (issue 19.4)
        order.status = "delivered"
    db.session.commit()
    as_role("manager", locale=lang)
    table = _top_products_table(client.get("/admin/").get_data(as_text=True))
    rows = re.findall(r"<tr><td>([^<]*)</td><td class=\"text-right\">(\d+)</td>", table)
    names = [name for name, _qty in rows]
    own, other = ("Чайник", "Kettle") if lang == "ru" else ("Kettle", "Чайник")
    assert (own, "5") in rows, rows
    assert other not in names
    assert ("Снятый товар", "1") in rows


@pytest.mark.parametrize(("lang", "shown", "hidden"), [("ru", "Самовывоз", "Pickup in store"),
                                                       ("en", "Pickup in store", "Самовывоз")])
def test_delivery_named_in_the_readers_language(client, db, as_role, lang, shown, hidden):
    method = DeliveryMethodFactory(name_ru="Самовывоз", name_en="Pickup in store")
    order = _english_order(VariantFactory(stock=10), quantity=1)
    order.delivery_method_id = method.id
    order.delivery_method_name = "Pickup in store"
    db.session.commit()
    as_role("manager", locale=lang)
    pages = {
        "list": "/admin/orders/",
        "detail": f"/admin/orders/details/?id={order.id}",
        "slip": f"/admin/orders/{order.id}/packing-slip",
    }
    for page, url in pages.items():
        body = client.get(url).get_data(as_text=True)
        assert shown in body, page
        assert hidden not in body, page


def test_order_lines_named_in_the_readers_language(client, db, as_role):
    product = ProductFactory(name_ru="Чайник", name_en="Kettle")
    order = _english_order(VariantFactory(product=product, stock=10), quantity=1)
    db.session.commit()
    as_role("manager", locale="ru")
    for url in (f"/admin/orders/details/?id={order.id}", f"/admin/orders/{order.id}/packing-slip"):
        body = client.get(url).get_data(as_text=True)
        assert "Чайник" in body and "Kettle" not in body


def test_csv_export_says_it_keeps_the_delivery_name_from_the_order(client, db, as_role):
    make_order()
    as_role("manager", locale="en")
    response = client.get("/admin/orders/export.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert "Delivery (as named on the order)" in rows[0]


@pytest.mark.parametrize(
    ("lang", "placed", "late"),
    [("ru", "Заказ оформлен", "Поздняя оплата"), ("en", "Order placed", "Late payment")],
)
def test_timeline_notes_in_words_and_late_payment_stands_out(
    client, db, as_role, lang, placed, late
):
    order = make_order(status="cancelled")
    order.events[0].kind = "placed"
    db.session.add(
        OrderEvent(
            order_id=order.id,
            from_status="cancelled",
            to_status="cancelled",
            kind="late_payment",
            data={"provider": "card", "amount": "100.00", "currency": "RUB",
                  "reference": "pay-1"},
        )
    )
    db.session.commit()
    as_role("manager", locale=lang)
    body = client.get(f"/admin/orders/details/?id={order.id}").get_data(as_text=True)
    timeline = body.split('class="list-unstyled order-timeline"', 1)[1].split("</ol>", 1)[0]
    assert placed in timeline and ">placed<" not in timeline
    assert "LATE PAYMENT" not in timeline
    warning = re.search(r'<li class="[^"]*alert-warning[^"]*">(.*?)</li>', timeline, re.S)
    assert warning and late in warning.group(1) and "(100.00 RUB, card pay-1)" in warning.group(1)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_back_office_pages_link_the_favicon(client, db, as_role, lang):
    order = make_order()
    as_role("manager", locale=lang)
    for url in ("/admin/", "/admin/orders/", f"/admin/orders/{order.id}/packing-slip"):
        body = client.get(url).get_data(as_text=True)
        assert re.search(r'<link rel="icon" href="[^"]*favicon[^"]*\.svg', body), url
