"""Every value in the back office as a person reads it, in the reader's language (issue 14.11):
a refused form says why, booleans are yes/no, dates and money formatted, an empty choice is not
"__None", the page-size menu speaks one wording, the stock ledger's change is not "Изменить"
(edit) and the stock adjustment page is not titled "Заканчивается" (low stock).
"""

import re
from decimal import Decimal

import pytest

from shop.catalog.models import Category
from tests.factories import CategoryFactory, DeliveryMethodFactory, UserFactory, VariantFactory


def flashes(body: str) -> str:
    return " ".join(re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', body, re.S))


@pytest.mark.parametrize(("lang", "label"), [("ru", "Название (рус.)"), ("en", "Name (ru)")])
def test_a_refused_form_says_which_field_and_why(client, db, as_role, token, lang, label):
    as_role("manager", locale=lang)
    response = client.post(
        "/admin/categories/new/",
        data={"csrf_token": token("/admin/categories/new/"), "name_ru": "", "position": "0"},
    )
    assert response.status_code == 200
    messages = flashes(response.get_data(as_text=True))
    assert "Failed to create record" not in messages
    assert label in messages
    assert db.session.query(Category).count() == 0


def test_a_refused_edit_says_why_too(client, db, as_role, token):
    category = CategoryFactory(name_ru="Кухня")
    as_role("manager", locale="ru")
    url = f"/admin/categories/edit/?id={category.id}"
    response = client.post(
        url, data={"csrf_token": token(url), "name_ru": "", "slug": "kitchen", "position": "x"}
    )
    messages = flashes(response.get_data(as_text=True))
    assert "Failed to save record" not in messages
    assert "Название (рус.)" in messages and "Порядок" in messages
    db.session.expire_all()
    assert db.session.get(Category, category.id).name_ru == "Кухня"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_booleans_read_yes_or_no_in_lists_and_details(client, db, as_role, tr, lang):
    customer = UserFactory(active=True)
    DeliveryMethodFactory(needs_address=True, active=True)
    DeliveryMethodFactory(needs_address=False, active=True)
    as_role("admin", locale=lang)
    yes, no = tr(lang, "Yes"), tr(lang, "No")
    listing = client.get("/admin/delivery/").get_data(as_text=True)
    assert f'<span class="sr-only">{yes}</span>' in listing
    assert f'<span class="sr-only">{no}</span>' in listing
    assert not re.search(r": (true|false)\"", listing)  # Flask-Admin's title="active: true"
    details = client.get(f"/admin/customers/details/?id={customer.id}").get_data(as_text=True)
    # the customer's own page (issue 19.5): a list of terms and values, not Flask-Admin's table
    term = r"<dt[^>]*>\s*(Активен|Active)\s*</dt>"
    row = re.search(term + r"\s*<dd[^>]*>\s*(.*?)\s*</dd>", details, re.S)
    assert row and row.group(2) == yes


def test_dates_and_money_are_formatted(client, db, as_role):
    UserFactory(full_name="Мария Ёлкина")
    DeliveryMethodFactory(price=Decimal("390.00"), free_from=Decimal("5000.00"))
    as_role("admin", locale="ru")
    customers = client.get("/admin/customers/").get_data(as_text=True)
    assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", customers)  # Python's str(datetime)
    assert re.search(r"\d{1,2} [а-я]+\.? \d{4}, \d\d:\d\d", customers)
    assert (
        "Русский" in customers
        and '<td class="col-locale">\n                    ru' not in customers
    )
    delivery = client.get("/admin/delivery/").get_data(as_text=True)
    assert "390.00" not in delivery and "5000.00" not in delivery
    assert "390,00\xa0₽" in delivery and "5\xa0000,00\xa0₽" in delivery


def test_an_empty_choice_is_named_not_none(client, db, as_role, tr):
    CategoryFactory(name_ru="Кухня")
    as_role("manager", locale="ru")
    body = client.get("/admin/categories/new/").get_data(as_text=True)
    option = re.search(r'<option[^>]*value="__None"[^>]*>([^<]*)</option>', body)
    assert option and option.group(1) == tr("ru", "No parent (top level)")
    assert ">__None<" not in body


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_page_size_menu_speaks_one_wording(client, db, as_role, tr, lang):
    as_role("manager", locale=lang)
    body = client.get("/admin/products/?page_size=20").get_data(as_text=True)
    menu_bar = body.split('class="nav nav-tabs list-menu"', 1)[1].split("</ul>", 1)[0]
    assert "элементы" not in menu_bar and " items" not in menu_bar
    button = re.search(
        r'dropdown-toggle"[^>]*>([^<]*)</a>\s*<div class="dropdown-menu page-size', body
    )
    assert button and button.group(1).strip() == tr(lang, "%(num)d per page", num=20)
    menu = body.split('class="dropdown-menu page-size-menu">', 1)[1].split("</div>", 1)[0]
    options = [o.strip() for o in re.findall(r"<a [^>]*>([^<]*)</a>", menu)]
    assert options == [tr(lang, "%(num)d per page", num=n) for n in (20, 50, 100)]


def test_stock_ledger_column_is_the_change_not_edit(client, db, as_role, tr):
    from shop.inventory.services import adjust_stock

    adjust_stock(VariantFactory(stock=0).id, 5, "receive")
    as_role("warehouse", locale="ru")
    body = client.get("/admin/movements/").get_data(as_text=True)
    headers = [
        re.sub(r"<[^>]+>|\s+", " ", h).strip()
        for h in re.findall(r"<th[^>]*>(.*?)</th>", body, re.S)
    ]
    assert "Изменить" not in headers
    assert tr("ru", "Change in stock") in headers


def test_stock_adjustment_page_is_titled_for_what_it_does(client, db, as_role, tr):
    variant = VariantFactory(sku="LV-MUG-1")
    as_role("warehouse", locale="ru")
    body = client.get(f"/admin/stock-adjust/{variant.id}").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert "Заканчивается" not in title
    assert tr("ru", "Adjust stock") in title and "LV-MUG-1" in title
    label = re.search(r'<label for="delta">([^<]*)</label>', body).group(1)
    assert label == tr("ru", "Change in stock, units")


def test_audit_log_names_actions_and_objects_in_words(client, db, as_role, tr):
    from shop.audit import services as audit

    audit.record("create", "Product", 7, after={"name_ru": "Кружка"})
    audit.record("stock", "ProductVariant", 8, after={"stock": 5})
    db.session.commit()
    as_role("admin", locale="ru")
    body = client.get("/admin/audit/").get_data(as_text=True)
    cells = [
        c.strip()
        for c in re.findall(r'<td class="col-(?:action|object_type)">(.*?)</td>', body, re.S)
    ]
    assert tr("ru", "Record created") in cells and tr("ru", "Product") in cells
    assert tr("ru", "Stock adjusted") in cells and tr("ru", "Variant") in cells
    assert not {"create", "stock", "ProductVariant"} & set(cells)


def test_customer_page_says_whose_it_is(client, db, as_role):
    customer = UserFactory(email="maria@example.com", full_name="Мария Ёлкина")
    as_role("manager", locale="ru")
    body = client.get(f"/admin/customers/details/?id={customer.id}").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S).group(1)
    for text in (title, heading):
        assert "maria@example.com" in text and "Мария Ёлкина" in text
