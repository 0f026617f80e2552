"""The catalogue-wide collections (issue 18): /new (products added in the last
NEW_ARRIVALS_DAYS, newest first) and /sale (reduced products, the biggest discount first), with
the category page's sorts, filters and pages; links to them; their SQL budget; and the canonical
address of every page, "/" first."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from shop.catalog.models import ProductVariant
from shop.core.models import utcnow
from shop.extensions import db as _db
from tests.catalog.conftest import make_image, make_product
from tests.factories import CategoryFactory
from tests.nu_checker import check_documents, errors_only, format_report, require_checker

from .test_search import names


def get(client, path, lang="ru", **args):
    response = client.get(path, query_string={"lang": lang, **args})
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def ago(**delta):
    return utcnow() - timedelta(**delta)


@pytest.fixture()
def catalogue(db):
    """Clothes of different ages and discounts, and products a shopper may not see."""
    clothes = CategoryFactory(slug="odezhda", name_ru="Одежда", name_en="Clothes")
    hidden = CategoryFactory(slug="skryto", name_ru="Скрыто", name_en="Hidden", active=False)
    items = {
        "sweater": make_product(  # new, −50 %
            clothes, "Свитер", "Sweater", [("3000", 2, "L", "серый", "6000")],
            created_at=ago(days=2),
        ),
        "scarf": make_product(  # new, −20 %
            clothes, "Шарф", "Scarf", [("1000", 4, "M", "красный", "1250")],
            created_at=ago(days=5),
        ),
        "jacket": make_product(  # new, −10 %, sold out
            clothes, "Куртка", "Jacket", [("9000", 0, "L", "чёрный", "10000")],
            created_at=ago(days=10),
        ),
        "hat": make_product(  # old, −40 %
            clothes, "Шапка", "Hat", [("960", 3, "M", "серый", "1600")],
            created_at=ago(days=100),
        ),
        "socks": make_product(  # new, full price
            clothes, "Носки", "Socks", [("300", 9, "M", "белый")], created_at=ago(days=1)
        ),
        # new; its dearer variant is reduced, but the card shows the cheapest at full price
        "coat": make_product(
            clothes, "Пальто", "Coat", [("5000", 1), ("7000", 1, None, None, "9000")],
            created_at=ago(days=3),
        ),
        "cloak": make_product(  # new and reduced, but switched off
            clothes, "Плащ", "Cloak", [("4000", 1, None, None, "8000")],
            created_at=ago(hours=1), active=False,
        ),
        "gloves": make_product(  # new and reduced, in a hidden category
            hidden, "Перчатки", "Gloves", [("500", 1, None, None, "1000")],
            created_at=ago(hours=2),
        ),
    }
    make_image(items["sweater"])
    return items


NEW = ["Носки", "Свитер", "Пальто", "Шарф", "Куртка"]  # in stock first, then newest first
SALE = ["Свитер", "Шапка", "Шарф", "Куртка"]  # in stock first, then the biggest discount


def test_new_lists_recent_products_in_stock_first_then_newest(client, catalogue):
    body = get(client, "/new")
    assert names(body) == NEW
    assert '<h1 class="h3 mb-3">Новинки</h1>' in body
    assert "5 products" in get(client, "/new", lang="en")


def test_sale_lists_reduced_products_biggest_discount_first(client, catalogue):
    body = get(client, "/sale")
    assert names(body) == SALE
    assert '<h1 class="h3 mb-3">Скидки</h1>' in body
    assert "−50%" in body


@pytest.mark.parametrize(
    ("path", "args", "expected"),
    [
        ("/new", {"sort": "price_asc"}, ["Носки", "Шарф", "Свитер", "Пальто", "Куртка"]),
        ("/new", {"sort": "name"}, ["Куртка", "Носки", "Пальто", "Свитер", "Шарф"]),
        ("/new", {"size": "M"}, ["Носки", "Шарф"]),
        ("/new", {"colour": "серый"}, ["Свитер"]),
        ("/new", {"price_max": "2000"}, ["Носки", "Шарф"]),
        ("/new", {"sort": "bogus"}, NEW),
        ("/sale", {"sort": "price_desc"}, ["Куртка", "Свитер", "Шарф", "Шапка"]),
        ("/sale", {"sort": "newest"}, ["Свитер", "Шарф", "Куртка", "Шапка"]),
        ("/sale", {"in_stock": "1"}, ["Свитер", "Шапка", "Шарф"]),
        ("/sale", {"size": "M", "sort": "price_asc"}, ["Шапка", "Шарф"]),
    ],
)
def test_sorts_and_filters_are_the_category_pages(client, catalogue, path, args, expected):
    assert names(get(client, path, **args)) == expected


def test_each_page_names_its_own_default_sort(client, catalogue):
    new = get(client, "/new", lang="en")
    sort = new[new.index('id="sort"') : new.index("</select>", new.index('id="sort"'))]
    assert '<option value="default" selected>Newest</option>' in sort
    assert 'value="newest"' not in sort and "Popular first" not in sort
    sale = get(client, "/sale", lang="en")
    sort = sale[sale.index('id="sort"') : sale.index("</select>", sale.index('id="sort"'))]
    assert '<option value="default" selected>Biggest discount first</option>' in sort
    assert 'value="newest"' in sort


def test_pages_of_a_collection(app, client, catalogue, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", 2)
    first = get(client, "/new")
    assert names(first) == NEW[:2]
    assert 'rel="next" href="/new?lang=ru&amp;page=2"' in first
    assert names(get(client, "/new", page=2)) == NEW[2:4]
    assert names(get(client, "/new", page=3)) == NEW[4:]
    assert names(get(client, "/new", page=99)) == NEW[4:]  # past the end: the last page
    # with a filter (no kept order): counted and cut the same way
    assert names(get(client, "/sale", in_stock="1", page=2)) == ["Шарф"]
    assert names(get(client, "/sale", sort="price_asc", page=2)) == ["Свитер", "Куртка"]


def test_new_means_added_within_the_configured_days(app, client, catalogue, monkeypatch):
    monkeypatch.setitem(app.config, "NEW_ARRIVALS_DAYS", 4)
    body = get(client, "/new", lang="en")
    # midnight UTC four days ago: the 5-day-old scarf is out, the 3-day-old coat in
    assert names(body) == ["Socks", "Sweater", "Coat"]
    assert "Products added in the last 4 days." in body
    home = get(client, "/", lang="en")
    shelf = home[home.index('id="new-title"') :]
    shelf = shelf[: shelf.index("</section>")]
    assert names(shelf) == ["Socks", "Sweater", "Coat"]
    monkeypatch.setitem(app.config, "NEW_ARRIVALS_DAYS", 365)
    assert "Hat" in names(get(client, "/new", lang="en"))


def test_the_sale_follows_price_changes(client, catalogue):
    assert "Носки" not in names(get(client, "/sale"))
    variant = _db.session.query(ProductVariant).filter_by(product_id=catalogue["socks"].id).one()
    variant.old_price = Decimal("1000")
    _db.session.commit()
    assert names(get(client, "/sale"))[0] == "Носки"  # −70 %


def test_empty_states(client, db):
    home = CategoryFactory(slug="dom", name_ru="Дом", name_en="Home")
    make_product(home, "Ваза", "Vase", [("700", 2)], created_at=ago(days=400))
    new = get(client, "/new", lang="en")
    assert "Nothing new in the last 30 days." in new and "Have a look at the catalogue:" in new
    assert 'href="/catalog/dom"' in new[new.index('id="main"') :]
    assert 'class="product-card' not in new
    sale = get(client, "/sale", lang="en")
    assert "No products are on sale right now." in sale
    # filters that match nothing say so and offer a way back
    body = get(client, "/sale", lang="en", price_min="999999")
    assert "No products match these filters." in body
    assert '<meta name="robots" content="noindex, follow">' in body


def test_empty_shop(client, db):
    for path in ("/new", "/sale"):
        body = get(client, path, lang="en")
        assert "<h1" in body and "Have a look at the catalogue:" in body
        assert '<ul class="list-inline">' not in body


def test_breadcrumbs_titles_and_english(client, catalogue):
    body = get(client, "/sale", lang="en")
    crumbs = body[body.index('class="breadcrumb') : body.index("</ol>")]
    assert 'href="/">Home<' in crumbs and 'aria-current="page">On sale<' in crumbs
    assert "<title>On sale · Lavka</title>" in body
    assert names(body) == ["Sweater", "Hat", "Scarf", "Jacket"]
    new = get(client, "/new", lang="en", page=1)
    assert "<title>New arrivals · Lavka</title>" in new
    assert '<html lang="en">' in new


def test_canonical_and_hreflang(app, client, catalogue, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", 2)
    bare = client.get("/new").get_data(as_text=True)
    assert '<link rel="canonical" href="http://localhost/new">' in bare
    assert '<meta property="og:url" content="http://localhost/new">' in bare
    assert 'hreflang="ru" href="http://localhost/new?lang=ru"' in bare
    assert 'hreflang="en" href="http://localhost/new?lang=en"' in bare
    assert 'hreflang="x-default" href="http://localhost/new"' in bare
    paged = get(client, "/sale", lang="en", page=2, sort="name")
    # the page number stays, the sorting goes
    assert '<link rel="canonical" href="http://localhost/sale?lang=en&amp;page=2">' in paged


def test_the_canonical_of_a_bare_address_is_itself(client, catalogue):
    """Lighthouse: "/" named "/?lang=ru", another address of its hreflang set."""
    cases = {
        "/": "http://localhost/",
        "/?lang=ru": "http://localhost/?lang=ru",
        "/?lang=en": "http://localhost/?lang=en",
        "/?lang=fr": "http://localhost/",
        "/catalog/odezhda": "http://localhost/catalog/odezhda",
        "/catalog/odezhda?lang=en&size=M": "http://localhost/catalog/odezhda?lang=en",
    }
    for path, canonical in cases.items():
        body = client.get(path).get_data(as_text=True)
        head = body[: body.index("</head>")]
        found = re.findall(r'<link rel="canonical" href="([^"]+)">', head)
        assert found == [canonical.replace("&", "&amp;")], path
        alternates = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', head))
        assert set(alternates) == {"ru", "en", "x-default"}, path
    home = client.get("/").get_data(as_text=True)
    assert 'hreflang="x-default" href="http://localhost/"' in home
    assert '<meta property="og:url" content="http://localhost/">' in home


def test_header_footer_and_sitemap_link_to_the_collections(client, catalogue):
    body = get(client, "/sale")
    bar = body[body.index('class="category-bar"') :]
    bar = bar[: bar.index("</nav>")]
    assert 'href="/new">Новинки<' in bar and 'href="/sale" aria-current="page">Скидки<' in bar
    footer = body[body.index("<footer") :]
    assert 'href="/new"' in footer and 'href="/sale"' in footer
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    for loc in ("/new?lang=ru", "/new?lang=en", "/sale?lang=ru", "/sale?lang=en"):
        assert f"<loc>http://localhost{loc}</loc>" in sitemap


def test_collections_cost_what_a_category_costs(client, catalogue, count_queries):
    def cost(path):
        _db.session.remove()  # every request starts with an empty session, as on a server
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return counter.count

    for query in ("", "?in_stock=1&sort=price_asc&size=M", "?page=2"):
        category = cost("/catalog/odezhda" + query)
        for path in ("/new", "/sale"):
            first, again = cost(path + query), cost(path + query)
            assert first <= category and first <= 6, (path + query, first, category)
            assert again <= first


def test_collection_pages_have_no_nu_checker_error(client, catalogue):
    require_checker()
    documents = {}
    for lang in ("ru", "en"):
        for path, args in (
            ("/new", {}),
            ("/sale", {"sort": "price_asc"}),
            ("/sale", {"price_min": "999999"}),
        ):
            documents[f"{lang} {path} {args}"] = get(client, path, lang=lang, **args)
    catalogue["hat"].variants[0].old_price = None
    for product in ("sweater", "scarf", "jacket"):
        catalogue[product].created_at = ago(days=200)
        catalogue[product].variants[0].old_price = None
    catalogue["socks"].created_at = catalogue["coat"].created_at = ago(days=200)
    _db.session.commit()
    for lang in ("ru", "en"):
        for path in ("/new", "/sale"):
            body = get(client, path, lang=lang)
            assert 'class="product-card' not in body, path
            documents[f"{lang} {path} empty"] = body
    errors = errors_only(check_documents(documents))
    assert not any(errors.values()), format_report(errors)
