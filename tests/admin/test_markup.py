"""Every back-office page is valid HTML by the W3C Nu checker, in Russian and in English
(issues 14.15 and 19.7; each carries the side navigation, the top bar and, on lists, the
toolbar): the dashboard, every list (with several rows, where Flask-Admin repeated the ids
of each row's delete form and inline-edit links), the create and edit forms (a product with
its variants: `legend` in a `div`), details pages and our own pages. Each says its language on
<html> and carries no X-UA-Compatible meta.
"""

import re
from decimal import Decimal

import pytest

from shop.accounts.models import Address, CustomerNote
from shop.inventory.services import adjust_stock
from tests.admin.conftest import make_order
from tests.factories import (
    CategoryFactory,
    DeliveryMethodFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)
from tests.nu_checker import check_documents, errors_only, format_report, require_checker


def _back_office(db):
    """Two or three rows in every list, a product with variants, orders, customers."""
    kitchen = CategoryFactory(name_ru="Кухня", name_en="Kitchen")
    CategoryFactory(name_ru="Чашки", name_en="Cups", parent=kitchen)
    product = ProductFactory(category=kitchen, name_ru="Кружка", name_en="Mug")
    variants = [
        VariantFactory(product=product, sku=f"LV-MUG-{n}", price=Decimal("390.00"), stock=n)
        for n in range(3)
    ]
    ProductFactory(category=kitchen)
    adjust_stock(variants[0].id, 5, "receive")
    delivery = DeliveryMethodFactory(price=Decimal("390.00"))
    DeliveryMethodFactory(price=Decimal("0.00"))
    order = make_order(variant=variants[1])
    make_order()
    customer = UserFactory(full_name="Мария Ёлкина")
    UserFactory()
    # the customer's page with each of its parts filled (issue 19.5)
    make_order(user=customer)
    db.session.add(Address(user_id=customer.id, recipient="Мария", city="Тула", street="Мира, 1"))
    db.session.add(CustomerNote(user_id=customer.id, text="Звонить после 18:00"))
    db.session.commit()
    return {
        "product": product,
        "variant": variants[0],
        "order": order,
        "customer": customer,
        "category": kitchen,
        "delivery": delivery,
    }


def _pages(data, staff):
    return {
        "dashboard": "/admin/",
        "orders": "/admin/orders/",
        "order": f"/admin/orders/details/?id={data['order'].id}",
        "products": "/admin/products/",
        "products searched": "/admin/products/?search=кружка",
        "products, none found": "/admin/products/?search=nothing-like-this",
        "product new": "/admin/products/new/",
        "product edit": f"/admin/products/edit/?id={data['product'].id}",
        "categories": "/admin/categories/",
        "category new": "/admin/categories/new/",
        "category edit": f"/admin/categories/edit/?id={data['category'].id}",
        "csv": "/admin/csv/",
        "stock": "/admin/stock/",
        "low stock": "/admin/stock-adjust/low",
        "adjust": f"/admin/stock-adjust/{data['variant'].id}",
        "movements": "/admin/movements/",
        "customers": "/admin/customers/",
        "customer": f"/admin/customers/details/?id={data['customer'].id}",
        "customer erase": f"/admin/customers/{data['customer'].id}/erase",
        "delivery": "/admin/delivery/",
        "delivery new": "/admin/delivery/new/",
        "delivery edit": f"/admin/delivery/edit/?id={data['delivery'].id}",
        "returns": "/admin/returns/",
        "refunds": "/admin/refunds/",
        "orders filtered": "/admin/orders/?search=E2E&sort=1&desc=1",
        "role new": "/admin/roles/new/",
        "accounts": "/admin/accounts/",
        "account new": "/admin/accounts/new/",
        "account edit": f"/admin/accounts/edit/?id={staff.id}",
        "roles": "/admin/roles/",
        "audit": "/admin/audit/",
        "legal documents": "/admin/legal/",
        "legal document": "/admin/legal/privacy/",
        "legal version": "/admin/legal/privacy/versions/1",
        "consents": "/admin/consents/",
        "my settings": "/admin/my-settings/",
        "order edit": f"/admin/orders/{data['order'].id}/edit",
        "invoice": f"/admin/orders/{data['order'].id}/invoice",
        "packing slip": f"/admin/orders/{data['order'].id}/packing-slip",
    }


def test_every_back_office_page_is_valid_html(client, db, as_role, token):
    require_checker()
    data = _back_office(db)
    staff = as_role("admin", locale="ru")
    documents = {}
    for lang in ("ru", "en"):
        client.get(f"/lang/{lang}")
        for name, path in _pages(data, staff).items():
            response = client.get(path)
            assert response.status_code == 200, f"{name} ({path}): {response.status_code}"
            documents[f"{name} {lang}"] = response.get_data(as_text=True)
        # a refused form, shown again with its errors
        response = client.post(
            "/admin/categories/new/",
            data={"csrf_token": token("/admin/categories/new/"), "name_ru": "", "position": "1"},
        )
        documents[f"category refused {lang}"] = response.get_data(as_text=True)
    for name, html in documents.items():
        assert re.search(r'<html lang="(ru|en)">', html), name
        assert f'<html lang="{name.rsplit(" ", 1)[1]}">' in html, name
        assert "X-UA-Compatible" not in html, name
    results = errors_only(check_documents(documents, no_langdetect=True))
    assert not any(results.values()), format_report(results)


@pytest.mark.parametrize("rows", [3])
def test_list_rows_repeat_no_id(client, db, as_role, rows):
    """The facts behind the checker's 150 errors at 50 rows, without Java."""
    for _ in range(rows):
        DeliveryMethodFactory()
        ProductFactory()
    as_role("admin")
    for path in ("/admin/products/", "/admin/delivery/", "/admin/categories/"):
        body = client.get(path).get_data(as_text=True)
        ids = re.findall(r'\sid="([^"]+)"', body)
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert not repeated, (path, repeated)
