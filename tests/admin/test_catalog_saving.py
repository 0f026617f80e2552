"""The back office saves categories and products through shop.catalog.saving: descriptions
are sanitised exactly once, the slug and search data are made before Flask-Admin's commit."""

from sqlalchemy import select

from shop.catalog.models import Category, Product
from tests.admin.test_catalog import product_form
from tests.factories import CategoryFactory


def test_a_product_form_sanitises_each_description_once(client, db, as_role, token, sanitised):
    category = CategoryFactory(name_ru="Посуда")
    as_role("manager")
    data = product_form(category, token())
    sanitised.clear()
    response = client.post("/admin/products/new/", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert sorted(sanitised) == sorted([data["description_ru"], data["description_en"]])
    product = db.session.scalar(select(Product))
    assert product.description_en == "<p>Porcelain</p>"
    assert " mug 001 " in product.search_text and " посуд " in product.search_text


def test_a_category_form_sanitises_once_and_renames_its_products_search(
    client, db, as_role, token, sanitised
):
    from tests.factories import ProductFactory

    category = CategoryFactory(name_ru="Посуда", name_en="Tableware")
    ProductFactory(category=category)
    as_role("manager")
    form = {
        "csrf_token": token(),
        "name_ru": "Кухня",
        "name_en": "Kitchen",
        "slug": "",
        "position": "0",
        "active": "y",
        "description_ru": "<p>Всё для кухни<script>1</script></p>",
        "description_en": "",
    }
    sanitised.clear()
    response = client.post(f"/admin/categories/edit/?id={category.id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert sanitised == [form["description_ru"]]
    db.session.expire_all()
    saved = db.session.get(Category, category.id)
    assert saved.slug == "kukhnia" and saved.description_ru == "<p>Всё для кухни</p>"
    assert " kitchen " in saved.products[0].search_text
