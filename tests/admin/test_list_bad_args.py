"""Back-office lists answer odd addresses with a translated 400, never a 500; an inline edit of a
record that does not exist answers 404."""

import pytest
from sqlalchemy import select

from shop.catalog.models import Category
from tests.admin.conftest import login_as, make_order
from tests.factories import CategoryFactory

LISTS = [
    "/admin/products/",
    "/admin/orders/",
    "/admin/customers/",
    "/admin/accounts/",
    "/admin/stock/",
    "/admin/movements/",
    "/admin/audit/",
]
BAD_NUMBERS = [
    {"page": "-1"},
    {"page": "abc"},
    {"page": "1.5"},
    {"page": str(10**30)},
    {"page": "99999999999"},
    {"page": "١"},  # an Arabic-Indic digit: int() takes it, no link of ours has it
    {"page_size": "abc"},
    {"sort": "-3"},
    {"sort": "x"},
    {"desc": "yes"},
]
NUL = [
    {"search": "a\x00b"},
    {"sort": "\x00"},
    {"page": "1\x00"},
    {"flt0_0": "\x00"},
    {"x\x00": "1"},
]
# English: the Russian catalogue gets this change's messages when the lead merges them
NUMBERS_MESSAGE = "the page number, page size or sort order in the address is not valid"
NUL_MESSAGE = "The address contains a character that is not allowed."


@pytest.fixture()
def admin_client(client, staff):
    login_as(client, staff("admin"))
    client.get("/lang/en")
    make_order()  # something in the lists
    return client


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("args", BAD_NUMBERS, ids=repr)
def test_bad_page_sort_and_size_are_a_400(admin_client, path, args):
    response = admin_client.get(path, query_string=args)
    assert response.status_code == 400
    assert NUMBERS_MESSAGE in response.get_data(as_text=True)  # says what is wrong


@pytest.mark.parametrize("path", [*LISTS, "/admin/", "/admin/csv/", "/admin/orders/details/"])
@pytest.mark.parametrize("args", NUL, ids=repr)
def test_nul_bytes_are_a_400(admin_client, path, args):
    response = admin_client.get(path, query_string=args)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


def test_filters_with_nul_on_named_filters(admin_client):
    # every filter of the product list, by its real URL argument
    from flask import current_app

    view = next(
        v for v in current_app.extensions["shop_admin"]._views if v.endpoint == "admin_products"
    )
    for index, flt in enumerate(view._filters):
        arg = f"flt0_{view.get_filter_arg(index, flt)}"
        response = admin_client.get("/admin/products/", query_string={arg: "1\x00"})
        assert response.status_code == 400, arg


@pytest.mark.parametrize(
    ("endpoint", "path"),
    [
        ("admin_stock", "/admin/stock/"),
        ("admin_movements", "/admin/movements/"),
        ("admin_products", "/admin/products/"),
    ],
)
def test_huge_numbers_in_filters_are_not_a_500(admin_client, endpoint, path):
    from flask import current_app

    view = next(v for v in current_app.extensions["shop_admin"]._views if v.endpoint == endpoint)
    statuses = set()
    for index, flt in enumerate(view._filters):
        arg = f"flt0_{view.get_filter_arg(index, flt)}"
        response = admin_client.get(path, query_string={arg: str(10**30)})
        assert response.status_code in (200, 400), (arg, type(flt).__name__)
        statuses.add(response.status_code)
    if endpoint != "admin_products":  # stock and delta are integer columns
        assert 400 in statuses


def test_the_page_is_in_the_readers_language(admin_client):
    admin_client.get("/lang/ru")
    response = admin_client.get("/admin/products/", query_string={"page": "-1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<html lang="ru">' in body and "Некорректный запрос" in body


@pytest.mark.parametrize("path", LISTS)
def test_good_addresses_still_work(admin_client, path):
    for args in ({}, {"page": "0"}, {"page": "1"}, {"page": "5000"}, {"sort": "0", "desc": "1"}):
        assert admin_client.get(path, query_string=args).status_code == 200, args
    assert admin_client.get(path, query_string={"page_size": "20"}).status_code == 200
    assert admin_client.get(path, query_string={"search": "ab"}).status_code == 200


def test_inline_edit_of_a_missing_record_is_a_404(admin_client, token, db):
    category = CategoryFactory(position=1)
    csrf = token("/admin/categories/")
    for pk in ("999999", "abc", str(10**30), ""):
        response = admin_client.post(
            "/admin/categories/ajax/update/",
            data={"csrf_token": csrf, "list_form_pk": pk, "position": "5"},
        )
        assert response.status_code == 404, pk
        assert response.get_data(as_text=True) == "Record does not exist."
    admin_client.get("/lang/ru")  # Flask-Admin's own message, in its Russian catalogue
    response = admin_client.post(
        "/admin/categories/ajax/update/",
        data={"csrf_token": csrf, "list_form_pk": "999999", "position": "5"},
    )
    assert (response.status_code, response.get_data(as_text=True)) == (
        404,
        "Запись не существует.",
    )
    # an existing record is still edited inline
    response = admin_client.post(
        "/admin/categories/ajax/update/",
        data={"csrf_token": csrf, "list_form_pk": str(category.id), "position": "7"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Category.position).where(Category.id == category.id)) == 7


def test_inline_edit_without_csrf_is_refused(admin_client, db):
    category = CategoryFactory(position=1)
    for pk in (str(category.id), "999999"):
        response = admin_client.post(
            "/admin/categories/ajax/update/", data={"list_form_pk": pk, "position": "9"}
        )
        assert response.status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(Category.position).where(Category.id == category.id)) == 1
