"""A product's own search-engine title and description (issue 19.2, the editor's SEO tab) on the
product page: used in the page's language, never another language's, with the name and summary
as before when empty; plain text checked by shop.catalog.seo; no statement more per page."""

import html

import pytest

from shop.catalog.seo import clean_meta, summary_of
from shop.core.errors import ValidationFailed
from shop.extensions import db as _db


def head_of(client, slug, lang):
    response = client.get(f"/product/{slug}?lang={lang}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    return body[: body.index("</head>")]


def meta(head, attribute, name):
    marker = f'<meta {attribute}="{name}" content="'
    start = head.index(marker) + len(marker)
    return html.unescape(head[start : head.index('"', start)])


def title_of(head):
    return html.unescape(head[head.index("<title>") + 7 : head.index("</title>")])


def test_own_title_and_description_in_each_language(client, shoes):
    boots = shoes["boots"]
    boots.meta_title_ru = "Зимние ботинки на меху — купить в Лавке"
    boots.meta_title_en = "Fur-lined winter boots & more"
    boots.meta_description_ru = "Тёплые ботинки до −30 °C. Доставка по России."
    boots.meta_description_en = "Warm boots for −30 °C. Delivery across Russia."
    _db.session.commit()

    ru = head_of(client, "botinki-zimnie", "ru")
    # staff's title is the whole title, as they counted it: no " · Лавка" after it
    assert title_of(ru) == "Зимние ботинки на меху — купить в Лавке"
    assert meta(ru, "name", "description") == "Тёплые ботинки до −30 °C. Доставка по России."
    assert meta(ru, "property", "og:title") == "Зимние ботинки на меху — купить в Лавке"
    assert meta(ru, "property", "og:description") == (
        "Тёплые ботинки до −30 °C. Доставка по России."
    )

    en = head_of(client, "botinki-zimnie", "en")
    assert title_of(en) == "Fur-lined winter boots & more"
    assert "<title>Fur-lined winter boots &amp; more</title>" in en  # escaped as text
    assert meta(en, "name", "description") == "Warm boots for −30 °C. Delivery across Russia."
    assert meta(en, "property", "og:title") == "Fur-lined winter boots & more"
    assert meta(en, "property", "og:description") == (
        "Warm boots for −30 °C. Delivery across Russia."
    )


def test_empty_fields_fall_back_to_the_name_and_summary_as_before(client, shoes):
    ru = head_of(client, "botinki-zimnie", "ru")
    assert title_of(ru) == "Ботинки зимние · Лавка"
    assert meta(ru, "name", "description") == "Тёплые, на меху"
    assert meta(ru, "property", "og:title") == "Ботинки зимние"
    en = head_of(client, "botinki-zimnie", "en")
    assert title_of(en) == "Winter boots · Lavka"
    assert meta(en, "name", "description") == "Warm, fur-lined"


def test_an_english_page_never_shows_the_russian_meta_text(client, shoes):
    boots = shoes["boots"]
    boots.meta_title_ru = "Русский заголовок для поиска"
    boots.meta_description_ru = "Русское описание для поиска"
    _db.session.commit()
    en = head_of(client, "botinki-zimnie", "en")
    assert "Русск" not in en
    assert title_of(en) == "Winter boots · Lavka"
    assert meta(en, "name", "description") == "Warm, fur-lined"
    assert meta(en, "property", "og:description") == "Warm, fur-lined"
    # and the Russian page does use them
    ru = head_of(client, "botinki-zimnie", "ru")
    assert title_of(ru) == "Русский заголовок для поиска"


def test_english_title_alone_leaves_the_description_to_the_summary(client, shoes):
    shoes["boots"].meta_title_en = "Winter boots, fur-lined"
    _db.session.commit()
    en = head_of(client, "botinki-zimnie", "en")
    assert title_of(en) == "Winter boots, fur-lined"
    assert meta(en, "name", "description") == "Warm, fur-lined"


def test_a_product_without_description_falls_back_to_its_name(client, shoes):
    shoes["run"].description_ru = shoes["run"].description_en = None
    _db.session.commit()
    en = head_of(client, "krossovki-begovye", "en")
    assert meta(en, "name", "description") == "Running shoes"
    shoes["run"].meta_description_en = "Light running shoes"
    _db.session.commit()
    assert meta(head_of(client, "krossovki-begovye", "en"), "name", "description") == (
        "Light running shoes"
    )


def test_the_meta_fields_cost_no_statement(client, shoes, count_queries):
    def statements():
        _db.session.remove()
        with count_queries() as counter:
            assert client.get("/product/botinki-zimnie?lang=en").status_code == 200
        return counter.count

    client.get("/product/botinki-zimnie?lang=en")  # warm caches (menu, tree)
    plain = statements()
    boots = _db.session.get(type(shoes["boots"]), shoes["boots"].id)
    boots.meta_title_en = "Winter boots, fur-lined"
    boots.meta_description_en = "Warm boots"
    _db.session.commit()
    client.get("/product/botinki-zimnie?lang=en")  # the commit emptied the catalogue cache
    assert statements() == plain


# --- the text's rules (shop.catalog.seo) -------------------------------------------------------


def test_clean_meta_squeezes_and_empties_to_none():
    assert clean_meta("  Куртка \n\t зимняя  ", 200) == "Куртка зимняя"
    assert clean_meta("   \n ", 200) is None
    assert clean_meta(None, 200) is None
    assert clean_meta("a\x00b\x07c", 200) == "abc"  # control characters dropped
    # a lone "<" or "&" in words is text
    assert clean_meta("Размер < 40 & H&M <3", 200) == "Размер < 40 & H&M <3"
    assert clean_meta("x" * 200, 200) == "x" * 200
    assert clean_meta("x " * 100, 200) == ("x " * 100).strip()  # 199 once squeezed


@pytest.mark.parametrize(
    "text",
    ["<b>Куртка</b>", "Куртка</p>", "Куртка <br/>", "<!-- x -->", "<script>alert(1)</script>",
     "a <img src=x onerror=alert(1)", "Tom &amp; Jerry", "nbsp&#160;x", "&#x41;"],
)
def test_clean_meta_refuses_html(app, text):
    with app.test_request_context("/?lang=en"), pytest.raises(ValidationFailed) as caught:
        clean_meta(text, 200)
    assert str(caught.value.message).startswith("Plain text only")


def test_clean_meta_refuses_what_is_too_long(app):
    with app.test_request_context("/?lang=en"), pytest.raises(ValidationFailed) as caught:
        clean_meta("x" * 161, 160)
    assert str(caught.value.message) == "At most 160 characters (now 161)."


def test_summary_is_the_descriptions_first_words():
    assert summary_of("<p>Тёплые,</p><p>на меху</p>") == "Тёплые, на меху"
    long = "<p>" + "слово " * 60 + "</p>"
    cut = summary_of(long)
    assert len(cut) <= 160 and cut.endswith("…") and "  " not in cut
