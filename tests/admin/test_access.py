"""Who may open what in the back office: every role against every view, on GET and on POST.

Anonymous visitors are sent to the login page, shoppers and staff of another role get 403,
a POST without a CSRF token is refused, and staff without two-factor are sent to set it up.
"""

import pytest

from shop.audit.models import AuditEntry
from shop.catalog.models import Product
from shop.extensions import db as _db
from shop.returns.models import ReturnLine, ReturnRequest
from tests.admin.conftest import login_as, make_order
from tests.factories import CategoryFactory, ProductFactory, UserFactory, VariantFactory

ADMIN = {"admin"}
MANAGERS = {"admin", "manager"}
WAREHOUSE = {"admin", "warehouse"}
STAFF = {"admin", "manager", "warehouse"}
ROLES = ("admin", "manager", "warehouse", "customer", None)

GET_VIEWS = {
    "/admin/": STAFF,
    "/admin/?period=custom&from=2026-03-01&to=2026-03-31": STAFF,
    "/admin/reports/summary.csv?period=7d": MANAGERS,
    "/admin/reports/abandoned.csv": MANAGERS,
    "/admin/reports/status.csv": STAFF,
    "/admin/reports/low_stock.csv": STAFF,
    "/admin/orders/": STAFF,
    "/admin/orders/details/?id={order}": STAFF,
    "/admin/orders/{order}/packing-slip": STAFF,
    "/admin/orders/{order}/edit": MANAGERS,
    "/admin/orders/export.csv": MANAGERS,
    # issue 19.3: the phone order (managers), the documents (every staff role)
    "/admin/orders/phone/": MANAGERS,
    "/admin/orders/phone/?q=user&vq=a": MANAGERS,
    "/admin/orders/phone/variants?vq=a": MANAGERS,
    "/admin/orders/{order}/invoice": STAFF,
    "/admin/orders/documents/invoice?id={order}": STAFF,
    "/admin/orders/documents/packing-slip?id={order}": STAFF,
    "/admin/returns/": STAFF,
    "/admin/returns/details/?id={return_request}": STAFF,
    "/admin/refunds/": MANAGERS,
    "/admin/products/": MANAGERS,
    "/admin/products/new/": MANAGERS,
    "/admin/products/edit/?id={product}": MANAGERS,
    "/admin/categories/": MANAGERS,
    "/admin/categories/new/": MANAGERS,
    "/admin/csv/": MANAGERS,
    "/admin/csv/export.csv": MANAGERS,
    "/admin/stock/": WAREHOUSE,
    "/admin/stock-adjust/low": WAREHOUSE,
    "/admin/stock-adjust/{variant}": WAREHOUSE,
    "/admin/movements/": WAREHOUSE,
    "/admin/customers/": MANAGERS,
    "/admin/customers/details/?id={customer}": MANAGERS,
    "/admin/customers/{customer}/erase": ADMIN,
    "/admin/delivery/": MANAGERS,
    "/admin/delivery/new/": MANAGERS,
    "/admin/accounts/": ADMIN,
    "/admin/accounts/edit/?id={customer}": ADMIN,
    "/admin/roles/": ADMIN,
    "/admin/audit/": ADMIN,
    "/admin/legal/": MANAGERS,
    "/admin/legal/offer/": MANAGERS,
    "/admin/legal/offer/versions/1": MANAGERS,
    "/admin/consents/": MANAGERS,
    # issue 19: every staff member's own language and time zone
    "/admin/my-settings/": STAFF,
}


@pytest.fixture()
def world(db):
    variant = VariantFactory(stock=10)
    order = make_order(variant=variant)
    customer = UserFactory(roles=["customer"])
    return_request = ReturnRequest(
        order_id=order.id, reason="other",
        lines=[ReturnLine(order_line_id=order.lines[0].id, quantity=1)],
    )
    _db.session.add(return_request)
    _db.session.commit()
    return {
        "return_request": return_request.id,
        "variant": variant.id,
        "product": variant.product_id,
        "category": variant.product.category_id,
        "order": order.id,
        "customer": customer.id,
    }


def _login(client, role):
    if role is None:
        return None
    user = UserFactory(roles=[role])
    login_as(client, user)
    return user


def _check(response, role, allowed):
    if role is None:
        assert response.status_code == 302
        assert "/account/login" in response.headers["Location"]
    elif role in allowed:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert "/account/login" not in response.headers["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(client, world, role):
    _login(client, role)
    for template, allowed in GET_VIEWS.items():
        url = template.format(**world)
        response = client.get(url)
        try:
            _check(response, role, allowed)
        except AssertionError as exc:
            raise AssertionError(f"GET {url} as {role}: {response.status_code}") from exc
        if role in allowed:
            assert response.status_code == 200, url


def _post_cases(world):
    """(url, form data, roles allowed): one state-changing POST per view and action."""
    return [
        (
            "/admin/products/new/",
            {"name_ru": "Новый", "category": str(world["category"])},
            MANAGERS,
        ),
        (
            "/admin/products/action/",
            {"action": "deactivate", "rowid": str(world["product"])},
            MANAGERS,
        ),
        ("/admin/categories/new/", {"name_ru": "Раздел"}, MANAGERS),
        (f"/admin/products/edit/?id={world['product']}", {"name_ru": "Иначе"}, MANAGERS),
        # the product editor (issue 19.2): bulk actions on a product's variants; adding stock
        # needs a warehouse role too, so of the editor's users only admins may
        (
            f"/admin/products/{world['product']}/variants",
            {"bulk_action": "activate", "variant_id": str(world["variant"])},
            MANAGERS,
        ),
        (
            f"/admin/products/{world['product']}/variants",
            {"bulk_action": "add_stock", "bulk_quantity": "1", "variant_id": str(world["variant"])},
            ADMIN,
        ),
        ("/admin/products/image/999999/delete", {}, MANAGERS),
        ("/admin/delivery/new/", {"code": "x", "name_ru": "Самовывоз", "price": "0"}, MANAGERS),
        (f"/admin/stock-adjust/{world['variant']}", {"delta": "1", "reason": "receive"}, WAREHOUSE),
        (f"/admin/orders/{world['order']}/status", {"to_status": "processing"}, STAFF),
        (f"/admin/orders/{world['order']}/note", {"staff_note": "звонить"}, STAFF),
        # editing an order: checking totals and searching (writes nothing)
        (f"/admin/orders/{world['order']}/edit",
         {"action": "preview", "q": "SKU"}, MANAGERS),
        # refunds by line and returns: managers refund and decide, the warehouse receives
        (f"/admin/refunds/order/{world['order']}", {"reason": "x"}, MANAGERS),
        (f"/admin/returns/{world['return_request']}/approve", {}, MANAGERS),
        (f"/admin/returns/{world['return_request']}/reject", {"comment": "no"}, MANAGERS),
        (f"/admin/returns/{world['return_request']}/received", {}, STAFF),
        (f"/admin/returns/{world['return_request']}/refund", {}, MANAGERS),
        # customers: managers write notes and switch accounts off and on, only admins erase
        (
            "/admin/customers/action/",
            {"action": "deactivate", "rowid": str(world["customer"])},
            MANAGERS,
        ),
        (f"/admin/customers/deactivate/{world['customer']}", {}, MANAGERS),
        (f"/admin/customers/activate/{world['customer']}", {}, MANAGERS),
        (f"/admin/customers/{world['customer']}/notes", {"text": "Звонить после 18:00"}, MANAGERS),
        # a wrong confirmation: the page again (200), nothing erased
        (f"/admin/customers/{world['customer']}/erase", {"email": "other@example.com"}, ADMIN),
        (f"/admin/accounts/edit/?id={world['customer']}", {"full_name": "Имя"}, ADMIN),
        ("/admin/roles/new/", {"name": "auditor"}, ADMIN),
        ("/admin/csv/preview", {}, MANAGERS),  # no file: the page again, with a message
        ("/admin/csv/apply", {"csv_text": "sku,product_slug\nX-1,x\n"}, MANAGERS),
        ("/admin/categories/ajax/update/", {"list_form_pk": str(world["category"])}, MANAGERS),
        ("/admin/audit/delete/", {"id": "1"}, ADMIN),
        ("/admin/movements/delete/", {"id": "1"}, WAREHOUSE),
        ("/admin/legal/offer/", {"title_ru": "Оферта", "body_ru": "<p>Новая</p>"}, MANAGERS),
        # issue 19.3: a phone order (an empty form: the page again, with what is missing),
        # the payment link again (a cash order: a message), printing, bulk status changes
        ("/admin/orders/phone/", {}, MANAGERS),
        (f"/admin/orders/{world['order']}/payment-link", {}, MANAGERS),
        ("/admin/orders/action/", {"action": "print_invoices", "rowid": str(world["order"])},
         STAFF),
        ("/admin/orders/action/",
         {"action": "print_packing_slips", "rowid": str(world["order"])}, STAFF),
        ("/admin/orders/action/",
         {"action": "status_processing", "rowid": str(world["order"])}, STAFF),
        ("/admin/orders/action/",
         {"action": "status_cancelled", "rowid": str(world["order"])}, MANAGERS),
        ("/admin/my-settings/", {"timezone": "Asia/Omsk", "locale": "ru"}, STAFF),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_post_matrix(client, world, role, token):
    _login(client, role)
    csrf = token("/")
    for url, data, allowed in _post_cases(world):
        response = client.post(url, data={**data, "csrf_token": csrf})
        try:
            _check(response, role, allowed)
        except AssertionError as exc:
            raise AssertionError(f"POST {url} as {role}: {response.status_code}") from exc


def test_only_admins_and_managers_publish_legal_documents(client, world, token):
    from shop.legal import services

    services.current_versions()
    for role in ("warehouse", "customer"):
        _login(client, role)
        response = client.post(
            "/admin/legal/offer/",
            data={"title_ru": "Чужая", "body_ru": "<p>Чужая</p>", "csrf_token": token("/")},
        )
        assert response.status_code == 403
    assert services.current_version("offer").number == 1


def test_forbidden_post_changes_nothing(client, world, token):
    _login(client, "warehouse")
    response = client.post(
        "/admin/products/action/",
        data={"action": "deactivate", "rowid": str(world["product"]), "csrf_token": token()},
    )
    assert response.status_code == 403
    from shop.extensions import db

    assert db.session.get(Product, world["product"]).active is True


def test_manager_deactivates_and_notes_but_cannot_erase(client, world, token):
    from shop.accounts.models import CustomerNote, User

    _login(client, "manager")
    customer = world["customer"]
    page = client.get(f"/admin/customers/details/?id={customer}").get_data(as_text=True)
    assert f"/admin/customers/deactivate/{customer}" in page
    assert f"/admin/customers/{customer}/notes" in page
    assert f"/admin/customers/{customer}/erase" not in page
    assert client.get(f"/admin/customers/{customer}/erase").status_code == 403
    response = client.post(
        f"/admin/customers/{customer}/erase",
        data={"email": _db.session.get(User, customer).email, "csrf_token": token()},
    )
    assert response.status_code == 403
    _db.session.expire_all()
    assert _db.session.get(User, customer).active is True
    assert not _db.session.get(User, customer).email.endswith("@deleted.invalid")
    response = client.post(f"/admin/customers/deactivate/{customer}", data={"csrf_token": token()})
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(User, customer).active is False
    client.post(f"/admin/customers/{customer}/notes", data={"text": "VIP", "csrf_token": token()})
    assert _db.session.query(CustomerNote).filter_by(user_id=customer).count() == 1


def test_warehouse_cannot_note_or_switch_customers(client, world, token):
    from shop.accounts.models import CustomerNote, User

    _login(client, "warehouse")
    customer = world["customer"]
    csrf = token("/")
    for url, data in (
        (f"/admin/customers/{customer}/notes", {"text": "x"}),
        (f"/admin/customers/deactivate/{customer}", {}),
    ):
        assert client.post(url, data={**data, "csrf_token": csrf}).status_code == 403
    _db.session.expire_all()
    assert _db.session.get(User, customer).active is True
    assert _db.session.query(CustomerNote).count() == 0


def test_post_without_csrf_token_is_refused(client, db):
    category = CategoryFactory()
    _login(client, "admin")
    response = client.post(
        "/admin/products/new/", data={"name_ru": "Без токена", "category": str(category.id)}
    )
    assert response.status_code == 400
    assert db.session.query(Product).count() == 0
    assert db.session.query(AuditEntry).count() == 0


def test_post_with_a_forged_token_is_refused(client, db):
    product = ProductFactory()
    _login(client, "manager")
    response = client.post(
        "/admin/products/action/",
        data={"action": "deactivate", "rowid": str(product.id), "csrf_token": "forged"},
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Product, product.id).active is True


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_inactive_staff_is_refused(client, db):
    user = UserFactory(roles=["admin"], active=False)
    login_as(client, user)
    assert client.get("/admin/").status_code in (302, 403)


def test_staff_without_two_factor_is_sent_to_set_it_up(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_TWO_FACTOR_REQUIRED", True)
    user = UserFactory(roles=["manager"])
    login_as(client, user)
    response = client.get("/admin/products/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/tf-setup")


def test_staff_with_two_factor_gets_in(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_TWO_FACTOR_REQUIRED", True)
    user = UserFactory(roles=["manager"], tf_primary_method="authenticator")
    login_as(client, user)
    assert client.get("/admin/products/").status_code == 200


def test_admin_cannot_lock_themselves_out(client, db, token):
    from shop.accounts.models import User

    admin = _login(client, "admin")
    response = client.post(
        f"/admin/accounts/edit/?id={admin.id}",
        data={"csrf_token": token(), "full_name": "Я", "locale": "ru", "active": "y"},
    )
    assert response.status_code == 200  # refused: the form again, with the reason
    db.session.expire_all()
    assert db.session.get(User, admin.id).has_role("admin")


def test_admin_grants_a_role_and_it_is_audited(client, db, token):
    from sqlalchemy import select

    from shop.accounts.models import Role, User

    _login(client, "admin")
    user = UserFactory(roles=["customer"])
    warehouse = Role(name="warehouse")
    db.session.add(warehouse)
    db.session.commit()
    customer_role = db.session.scalar(select(Role).where(Role.name == "customer"))
    response = client.post(
        f"/admin/accounts/edit/?id={user.id}",
        data={
            "csrf_token": token(),
            "full_name": "Кладовщик",
            "locale": "ru",
            "active": "y",
            "roles": [str(customer_role.id), str(warehouse.id)],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).has_role("warehouse")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roles"))
    assert entry is not None and "warehouse" in entry.after


@pytest.mark.parametrize(
    "url",
    [
        "/admin/orders/details/?id=abc",
        "/admin/orders/details/?id=99999999999999999999",
        "/admin/products/edit/?id=abc",
        "/admin/categories/edit/?id=1%27%20or%201=1",
        "/admin/customers/details/?id=abc",
        "/admin/accounts/edit/?id=-1",
        "/admin/audit/details/?id=abc",
        "/admin/stock-adjust/low?threshold=-5",
        "/admin/orders/?page=abc",
        "/admin/orders/?sort=999",
        "/admin/products/?flt0_999=x",
    ],
)
def test_bad_urls_never_500(client, db, url):
    _login(client, "admin")
    response = client.get(url)
    assert response.status_code in (200, 302, 400, 404), (url, response.status_code)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (
            "/admin/products/action/",
            {"action": "deactivate", "rowid": ["abc", "99999999999999999999"]},
        ),
        ("/admin/products/action/", {"action": "delete", "rowid": ["abc"]}),
        ("/admin/products/action/", {"action": "no-such-action", "rowid": ["1"]}),
        ("/admin/products/delete/", {"id": "abc"}),
        ("/admin/customers/action/", {"action": "deactivate", "rowid": ["-1", "x"]}),
        ("/admin/orders/999999/status", {"to_status": "shipped"}),
        ("/admin/orders/999999/note", {"staff_note": "x"}),
        ("/admin/orders/999999/payment-link", {}),
        ("/admin/orders/action/", {"action": "status_shipped", "rowid": ["abc", "999999"]}),
        ("/admin/orders/action/", {"action": "print_invoices", "rowid": ["-1"]}),
        ("/admin/orders/phone/", {"sku": ["\x00"], "quantity": ["\x00"], "customer_id": "x"}),
        ("/admin/stock-adjust/999999", {"delta": "1", "reason": "receive"}),
        ("/admin/csv/apply", {"csv_text": "\x00\x01garbage"}),
        ("/admin/csv/preview", {}),
    ],
)
def test_bad_posts_never_500(client, db, token, url, data):
    _login(client, "admin")
    response = client.post(url, data={**data, "csrf_token": token()})
    assert response.status_code in (200, 302, 400, 403, 404), (url, response.status_code)
