"""The back office's one variant search (shop.catalog.lookup.find_variants, issue 19): by SKU
prefix or product name in ru and en, on sale only unless asked, exact SKU first, limited; used
by the order editor and the phone order page."""

from sqlalchemy import event

from shop.catalog.lookup import find_variants
from shop.extensions import db as _db
from tests.factories import ProductFactory, VariantFactory


def skus(found):
    return [v.sku for v in found]


def test_by_sku_or_name_on_sale_only(db):
    product = ProductFactory(name_ru="Шапка вязаная", name_en="Knitted hat")
    wanted = VariantFactory(product=product, sku="HAT-01")
    VariantFactory(product=product, sku="HAT-02", active=False)
    assert find_variants("hat-01") == [wanted]
    assert find_variants("вязаная") == [wanted]
    assert find_variants("knitted") == [wanted]
    assert find_variants("%") == []
    assert find_variants("x") == []


def test_sku_exact_first_then_prefix_and_only_a_prefix(db):
    shirt = ProductFactory(name_ru="Альфа рубашка", name_en="Alpha shirt")
    tee = ProductFactory(name_ru="Бета футболка", name_en="Beta tee")
    VariantFactory(product=shirt, sku="TS-100-L")
    VariantFactory(product=tee, sku="TS-100")
    VariantFactory(product=tee, sku="XTS-100")  # holds the text, does not start with it
    assert skus(find_variants("ts-100")) == ["TS-100", "TS-100-L"]
    assert skus(find_variants("TS-1")) == ["TS-100-L", "TS-100"]  # then by product name
    assert skus(find_variants("  ts-100  ")) == ["TS-100", "TS-100-L"]


def test_names_in_either_language_any_case_every_word(db):
    coat = ProductFactory(name_ru="Пальто Зимнее", name_en="Winter Coat")
    boots = ProductFactory(name_ru="Сапоги зимние", name_en="Winter boots")
    a = VariantFactory(product=coat, sku="C-1")
    b = VariantFactory(product=boots, sku="B-1")
    assert find_variants("ЗИМН") == [a, b]  # ordered by the Russian name
    assert find_variants("пальто") == [a]  # Cyrillic case folded on SQLite too
    assert find_variants("winter COAT") == [a]
    assert find_variants("winter сапоги") == [b]  # a word from each language
    assert find_variants("c-1 winter") == [a]  # a word may be the SKU's start
    assert find_variants("winter jacket") == []


def test_like_wildcards_are_taken_literally(db):
    cotton = VariantFactory(product=ProductFactory(name_ru="Футболка 100% хлопок",
                                                   name_en="Tee 100% cotton"), sku="A_1")
    plain = VariantFactory(product=ProductFactory(name_ru="Футболка 1000", name_en="Tee 1000"),
                           sku="AB1")
    assert find_variants("100%") == [cotton]
    assert find_variants("a_") == [cotton]
    assert find_variants("ab") == [plain]
    assert find_variants("%%") == []
    assert find_variants("__") == []
    assert find_variants("a\\") == []


def test_inactive_variants_and_products_excluded_unless_asked(db):
    hidden = ProductFactory(name_ru="Скрытый товар", name_en="Hidden", active=False)
    on_sale = ProductFactory(name_ru="Скрытый смысл", name_en="Hidden meaning")
    a = VariantFactory(product=hidden, sku="HID-1")
    b = VariantFactory(product=on_sale, sku="HID-2", active=False)
    c = VariantFactory(product=on_sale, sku="HID-3")
    assert find_variants("hid") == [c]
    assert find_variants("скрытый") == [c]
    assert set(find_variants("hid", include_inactive=True)) == {a, b, c}


def test_limited_and_the_product_is_loaded(db, app):
    product = ProductFactory(name_ru="Носки", name_en="Socks")
    for n in range(6):
        VariantFactory(product=product, sku=f"SOCK-{n}", position=n)
    _db.session.expunge_all()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(_db.engine, "before_cursor_execute", listener)
    try:
        found = find_variants("sock", limit=4)
        names = [v.product.name_en for v in found]
    finally:
        event.remove(_db.engine, "before_cursor_execute", listener)
    assert skus(found) == ["SOCK-0", "SOCK-1", "SOCK-2", "SOCK-3"]
    assert names == ["Socks"] * 4
    assert len(statements) == 1  # the products came with the variants
    assert find_variants("sock", limit=0) == []


def test_odd_input_finds_nothing(db):
    VariantFactory(sku="ODD-1")
    assert find_variants(None) == []
    assert find_variants("") == []
    assert find_variants("   ") == []
    assert find_variants("od\x00d") == []
    assert find_variants("o" * 5000) == []
