"""The new pages of issue 19.3 pass the W3C Nu checker in ru and en: the phone order page (empty,
with search results, a chosen customer and a refused form), invoices and packing slips (one
order and many)."""

import re
from decimal import Decimal

from shop.accounts.models import Address
from shop.extensions import db as _db
from tests.admin.conftest import make_order
from tests.checkout.helpers import stocked
from tests.factories import DeliveryMethodFactory, UserFactory
from tests.nu_checker import check_documents, errors_only, format_report, require_checker


def test_the_new_pages_are_valid_html(client, db, as_role, token):
    require_checker()
    DeliveryMethodFactory(price=Decimal("0"), needs_address=False)
    stocked(stock=4, sku="NU-1")
    stocked(stock=0, sku="NU-2")
    customer = UserFactory(email="nu@example.com", phone="+7 900 000-00-01")
    _db.session.add(Address(user_id=customer.id, recipient="Нина", city="Москва",
                            street="ул. Тверская, 1", postcode="101000", is_default=True))
    _db.session.commit()
    first, second = make_order(), make_order()
    as_role("manager", locale="ru")
    documents = {}
    for lang in ("ru", "en"):
        client.get(f"/lang/{lang}")
        pages = {
            "phone order": "/admin/orders/phone/",
            "phone order searched": "/admin/orders/phone/?q=nu%40&vq=NU",
            "phone order, nothing found": "/admin/orders/phone/?q=zzz&vq=zzz",
            "phone order for a customer": f"/admin/orders/phone/?customer={customer.id}",
            "invoice": f"/admin/orders/{first.id}/invoice",
            "packing slip": f"/admin/orders/{first.id}/packing-slip",
            "invoices": f"/admin/orders/documents/invoice?id={first.id}&id={second.id}",
            "packing slips": f"/admin/orders/documents/packing-slip?id={first.id}&id={second.id}",
        }
        for name, path in pages.items():
            response = client.get(path)
            assert response.status_code == 200, path
            documents[f"{name} {lang}"] = response.get_data(as_text=True)
        refused = client.post(f"/admin/orders/phone/?customer={customer.id}", data={
            "csrf_token": token("/admin/orders/phone/"), "customer_id": str(customer.id),
            "sku": ["NU-1", "NO-SUCH"], "quantity": ["1", "0"]})
        assert refused.status_code == 200
        documents[f"phone order refused {lang}"] = refused.get_data(as_text=True)
    for name, html in documents.items():
        assert f'<html lang="{name.rsplit(" ", 1)[1]}">' in html, name
    results = errors_only(check_documents(documents, no_langdetect=True))
    assert not any(results.values()), format_report(results)


def test_every_control_of_the_phone_order_page_is_labelled(client, db, as_role):
    DeliveryMethodFactory()
    as_role("manager", locale="en")
    html = client.get("/admin/orders/phone/?vq=x").get_data(as_text=True)
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if 'type="hidden"' in tag:
            continue
        control_id = re.search(r'\bid="([^"]+)"', tag)
        assert "aria-label=" in tag or (control_id and control_id.group(1) in labelled), tag
