"""The back office's order edit page (issue 19.3): who may open it, the form's steps (find, add,
check totals, save), and refused input shown again with its reason while nothing changes."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.catalog.models import ProductVariant
from shop.extensions import db
from shop.orders.models import EventKind, Order, OrderEvent
from shop.orders.services import transition
from tests.factories import ProductFactory, VariantFactory
from tests.nu_checker import check_documents, errors_only, format_report, require_checker
from tests.returns.helpers import fresh, place_two_lines


@pytest.fixture()
def order(db):
    """Cash: 2 × A (1000.00), 3 × B (500.00), delivery 390.00; stock 8 and 7 left."""
    return fresh(place_two_lines("cash"))


def edit_url(order):
    return f"/admin/orders/{order.id}/edit"


def version(client, order, lang="en"):
    page = client.get(f"{edit_url(order)}?lang={lang}").get_data(as_text=True)
    return re.search(r'name="version" type="hidden" value="([^"]+)"', page).group(1)


def form(order, csrf, seen, **extra):
    data = {"csrf_token": csrf, "version": seen}
    for line in order.lines:
        data[f"qty-{line.id}"] = str(line.quantity)
    data["delivery_method"] = str(order.delivery_method_id)
    data["address"] = order.shipping_address
    data.update(extra)
    return data


def totals(order_id):
    db.session.expire_all()
    o = db.session.get(Order, order_id)
    return ([(line.sku, line.quantity) for line in o.lines], o.total,
            db.session.scalar(select(func.count(OrderEvent.id)).where(
                OrderEvent.kind == EventKind.EDITED.value)))


def test_managers_open_the_page_and_the_order_page_links_to_it(client, as_role, order):
    as_role("manager")
    details = client.get(f"/admin/orders/details/?id={order.id}&lang=en").get_data(as_text=True)
    assert f'href="{edit_url(order)}"' in details and "Edit order" in details
    page = client.get(f"{edit_url(order)}?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for line in order.lines:
        assert f'name="qty-{line.id}"' in html and f'for="qty-{line.id}"' in html
    assert "Save changes" in html and "Check totals" in html


def test_the_warehouse_may_not_edit(client, as_role, order, token):
    as_role("warehouse")
    details = client.get(f"/admin/orders/details/?id={order.id}").get_data(as_text=True)
    assert edit_url(order) not in details
    assert client.get(edit_url(order)).status_code == 403
    a = order.lines[0]
    response = client.post(edit_url(order), data={
        "csrf_token": token(), f"qty-{a.id}": "1", "action": "save"})
    assert response.status_code == 403
    assert fresh(order).lines[0].quantity == 2


def test_a_shipped_order_offers_no_edit(client, as_role, order):
    as_role("manager")
    for step in ("processing", "shipped"):
        transition(order.id, step)
    details = client.get(f"/admin/orders/details/?id={order.id}").get_data(as_text=True)
    assert edit_url(order) not in details
    response = client.get(edit_url(order))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/admin/orders/details/?id={order.id}")


def test_saving_changes_the_order(client, as_role, order, token):
    manager = as_role("manager")
    a, b = order.lines
    data = form(order, token(), version(client, order), action="save",
                reason="Клиент попросил")
    data[f"qty-{a.id}"] = "3"
    data[f"remove-{b.id}"] = "1"
    response = client.post(edit_url(order), data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/orders/details/?id={order.id}")
    lines, total, edits = totals(order.id)
    assert lines == [(a.sku, 3)] and total == Decimal("3390.00") and edits == 1
    event = fresh(order).events[-1]
    assert event.actor_id == manager.id and event.note == "Клиент попросил"
    page = client.get(f"/admin/orders/details/?id={order.id}&lang=en").get_data(as_text=True)
    assert "was changed" in page
    assert f"{a.sku}: 2 → 3" in page and f"{b.sku} removed" in page


def test_more_than_in_stock_is_refused_with_the_page_again(client, as_role, order, token):
    as_role("manager")
    a, _b = order.lines
    before = totals(order.id)
    data = form(order, token(), version(client, order), action="save")
    data[f"qty-{a.id}"] = "11"
    response = client.post(f"{edit_url(order)}?lang=en", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"Not enough stock of {a.sku}: 8 more available" in html
    assert 'value="11"' in html  # what was typed is kept
    assert totals(order.id) == before
    assert db.session.get(ProductVariant, a.variant_id).stock == 8


@pytest.mark.parametrize("field,value,message", [
    ("qty", "two", "whole numbers"),
    ("qty", "-1", "whole numbers"),
    ("qty", "1e3", "whole numbers"),
    ("delivery_method", "999999", "Choose a delivery method"),
    ("address", "", "Enter a delivery address"),
])
def test_bad_input_is_explained_and_changes_nothing(client, as_role, order, token, field,
                                                    value, message):
    as_role("manager")
    a, _b = order.lines
    before = totals(order.id)
    data = form(order, token(), version(client, order), action="save")
    data[f"qty-{a.id}" if field == "qty" else field] = value
    response = client.post(f"{edit_url(order)}?lang=en", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert totals(order.id) == before


def test_another_orders_line_is_refused(client, as_role, order, token):
    as_role("manager")
    other = fresh(place_two_lines("cash"))
    before, other_before = totals(order.id), totals(other.id)
    data = form(order, token(), version(client, order), action="save")
    data[f"remove-{other.lines[0].id}"] = "1"
    response = client.post(f"{edit_url(order)}?lang=en", data=data)
    assert response.status_code == 400
    assert "This item is not in the order." in response.get_data(as_text=True)
    assert totals(order.id) == before and totals(other.id) == other_before


def test_without_csrf_token_nothing_changes(client, as_role, order):
    as_role("manager")
    a, _b = order.lines
    before = totals(order.id)
    data = form(order, "", version(client, order), action="save")
    data[f"qty-{a.id}"] = "1"
    response = client.post(f"{edit_url(order)}?lang=en", data=data)
    assert response.status_code == 400  # the shop's CSRF check, before the view
    assert totals(order.id) == before


def test_a_page_left_open_while_someone_else_edited_is_refused(client, as_role, order, token):
    as_role("manager")
    a, b = order.lines
    seen = version(client, order)
    first = form(order, token(), seen, action="save")
    first[f"qty-{a.id}"] = "1"
    assert client.post(edit_url(order), data=first).status_code == 302
    second = form(order, token(), seen, action="save")
    second[f"qty-{b.id}"] = "1"
    response = client.post(f"{edit_url(order)}?lang=en", data=second)
    assert response.status_code == 400
    assert "Someone changed this order" in response.get_data(as_text=True)
    assert totals(order.id)[0] == [(a.sku, 1), (b.sku, 3)]


def test_find_add_check_and_save_a_new_line(client, as_role, order, token):
    as_role("manager")
    product = ProductFactory(name_ru="Варежки", name_en="Mittens")
    mittens = VariantFactory(product=product, sku="MIT-RED", price=Decimal("450.00"), stock=4)
    db.session.commit()
    seen = version(client, order)
    csrf = token()
    found = client.post(f"{edit_url(order)}?lang=en",
                        data=form(order, csrf, seen, action="search", q="mit-red"))
    html = found.get_data(as_text=True)
    assert found.status_code == 200
    assert f'name="add_variant" value="{mittens.id}"' in html and "Mittens" in html
    added = client.post(f"{edit_url(order)}?lang=en",
                        data=form(order, csrf, seen, q="mit-red", add_variant=str(mittens.id)))
    html = added.get_data(as_text=True)
    assert f'name="add-{mittens.id}" value="1"' in html
    assert "3\u00a0890" not in html.split("edit-new-total")[1][:80]  # the new total shown
    checked = client.post(f"{edit_url(order)}?lang=en", data=form(
        order, csrf, seen, action="preview", **{f"add-{mittens.id}": "2"}))
    html = checked.get_data(as_text=True)
    assert "The customer pays" in html and "4,790.00" in html
    saved = client.post(edit_url(order), data=form(
        order, csrf, seen, action="save", **{f"add-{mittens.id}": "2"}))
    assert saved.status_code == 302
    lines, total, _edits = totals(order.id)
    assert lines[-1] == ("MIT-RED", 2) and total == Decimal("4790.00")
    assert db.session.get(ProductVariant, mittens.id).stock == 2


def test_search_without_matches_says_so(client, as_role, order, token):
    as_role("manager")
    response = client.post(f"{edit_url(order)}?lang=en", data=form(
        order, token(), version(client, order), action="search", q="no-such-thing"))
    assert "Nothing on sale matches" in response.get_data(as_text=True)


def test_the_page_is_valid_html(client, as_role, order, token):
    require_checker()
    as_role("manager")
    pages = {}
    for lang in ("ru", "en"):
        pages[f"edit {lang}"] = client.get(f"{edit_url(order)}?lang={lang}").get_data(
            as_text=True)
        a = order.lines[0]
        data = form(order, token(), version(client, order, lang), action="search", q="SKU")
        data[f"qty-{a.id}"] = "3"
        pages[f"search {lang}"] = client.post(
            f"{edit_url(order)}?lang={lang}", data=data).get_data(as_text=True)
        data["action"] = "preview"
        pages[f"preview {lang}"] = client.post(
            f"{edit_url(order)}?lang={lang}", data=data).get_data(as_text=True)
    bad = errors_only(check_documents(pages))
    assert not any(bad.values()), format_report(bad)


def test_a_paid_order_raised_shows_the_difference_awaited(client, as_role, app, token):
    from tests.payments.fake_yookassa import serve_for  # the fake only for this test
    from tests.returns.helpers import pay_at_fake

    fake, stop = serve_for(app)
    try:
        order = place_two_lines("yookassa_card")
        pay_at_fake(order, fake)
        order = fresh(order)
        as_role("manager")
        a, _b = order.lines
        data = form(order, token(), version(client, order), action="preview")
        data[f"qty-{a.id}"] = "3"
        html = client.post(f"{edit_url(order)}?lang=en", data=data).get_data(as_text=True)
        assert "pay the difference of ₽1,000.00" in html
        data["action"] = "save"
        assert client.post(edit_url(order), data=data).status_code == 302
        details = client.get(f"/admin/orders/details/?id={order.id}&lang=en")
        assert "Awaiting an additional payment of ₽1,000.00" in details.get_data(as_text=True)
    finally:
        stop()


def test_the_audit_log_reads_the_edit(client, as_role, order, token):
    as_role("manager")
    a, _b = order.lines
    data = form(order, token(), version(client, order), action="save", reason="по звонку")
    data[f"qty-{a.id}"] = "3"
    assert client.post(edit_url(order), data=data).status_code == 302
    as_role("admin")
    page = client.get("/admin/audit/?lang=en").get_data(as_text=True)
    assert "Order changed" in page
    assert f"{a.sku} × 2" in page and f"{a.sku} × 3" in page
    assert "₽3,890.00" in page and "₽4,890.00" in page and "по звонку" in page
