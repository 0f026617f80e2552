"""The product editor's SEO tab (issue 19.2): a title and description for search engines per
language, saved trimmed as plain text, refused with a clear error when they hold HTML or are too
long (nothing saved then), shown with help, a character count and a search result preview, and
named in the audit log."""

import html
import json
import re

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.catalog.models import Product
from tests.admin.test_catalog import product_form
from tests.admin.test_product_editor import editor_form, rows_of
from tests.factories import CategoryFactory, ProductFactory, VariantFactory


@pytest.fixture()
def coat(db):
    product = ProductFactory(
        name_ru="Пальто", name_en="Coat", slug="palto",
        description_ru="<p>Шерстяное пальто</p>", description_en="<p>A wool coat</p>",
    )
    VariantFactory(product=product, sku="COAT-1")
    db.session.expire_all()
    return db.session.get(Product, product.id)


def save(client, token, product, **meta):
    url = f"/admin/products/edit/?id={product.id}"
    return client.post(url, data=editor_form(product, token(url), rows_of(product), **meta))


def test_the_four_fields_are_saved_trimmed_in_both_languages(client, db, as_role, token, coat):
    as_role("manager")
    response = save(
        client, token, coat,
        meta_title_ru="  Шерстяное пальто —\n купить  ",
        meta_title_en="Wool coat | Lavka",
        meta_description_ru="Тёплое пальто\r\nиз шерсти.",
        meta_description_en="  A warm wool coat.  ",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    saved = db.session.get(Product, coat.id)
    assert saved.meta_title_ru == "Шерстяное пальто — купить"
    assert saved.meta_title_en == "Wool coat | Lavka"
    assert saved.meta_description_ru == "Тёплое пальто из шерсти."
    assert saved.meta_description_en == "A warm wool coat."
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "Product"))
    assert json.loads(entry.after)["meta_title_en"] == "Wool coat | Lavka"


def test_empty_or_blank_fields_are_stored_as_nothing(client, db, as_role, token, coat):
    coat.meta_title_ru = "Старый заголовок"
    coat.meta_description_en = "Old text"
    db.session.commit()
    as_role("manager")
    response = save(client, token, coat, meta_title_ru="   ", meta_description_en="",
                    meta_title_en="", meta_description_ru="\n")
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Product, coat.id)
    assert (saved.meta_title_ru, saved.meta_title_en) == (None, None)
    assert (saved.meta_description_ru, saved.meta_description_en) == (None, None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("meta_title_ru", "<b>Пальто</b>", "Plain text only: remove the HTML “<b>”."),
        ("meta_description_en", "A coat<script>x()</script>",
         "Plain text only: remove the HTML “<script>”."),
        ("meta_title_en", "Coat &amp; hat", "Plain text only: type the character itself"),
        ("meta_title_en", "x" * 201, "At most 200 characters (now 201)."),
        ("meta_description_ru", "д" * 321, "At most 320 characters (now 321)."),
    ],
)
def test_html_or_too_long_text_saves_nothing_and_says_why(
    client, db, as_role, token, coat, field, value, message
):
    as_role("manager", locale="en")
    response = save(client, token, coat, name_ru="Другое", **{field: value})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Not saved" in body
    errors = re.search(rf'<ul class="editor-errors" id="{field}-errors">(.*?)</ul>', body, re.S)
    assert errors and message in html.unescape(errors.group(1))
    # the error is tied to its input, and the SEO tab is marked as the one with errors
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field}"',
                     body)
    assert f"{field}-errors" in re.search(rf'<[^>]+id="{field}"[^>]*>', body).group(0)
    db.session.expire_all()
    saved = db.session.get(Product, coat.id)
    assert saved.name_ru == "Пальто" and getattr(saved, field) is None
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_a_new_product_gets_its_meta_fields(client, db, as_role, token):
    category = CategoryFactory()
    as_role("manager")
    data = product_form(category, token(), meta_title_en="Morning mug, 300 ml",
                        meta_description_ru="Фарфоровая кружка на 300 мл.")
    response = client.post("/admin/products/new/", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    product = db.session.scalar(select(Product))
    assert product.meta_title_en == "Morning mug, 300 ml"
    assert product.meta_description_ru == "Фарфоровая кружка на 300 мл."
    assert product.meta_title_ru is None and product.meta_description_en is None


def test_the_seo_tab_has_labels_help_counts_and_a_preview(client, db, as_role, coat):
    coat.meta_title_en = ("Wool coat " * 7).strip()  # 69 characters
    db.session.commit()
    as_role("manager", locale="en")
    body = client.get(f"/admin/products/edit/?id={coat.id}").get_data(as_text=True)
    seo = body[body.index('id="section-seo"'):body.index('id="section-vat"')]
    for name, label, limit, shown in [
        ("meta_title_ru", "Title for search engines (ru)", 200, 60),
        ("meta_title_en", "Title for search engines (en)", 200, 60),
        ("meta_description_ru", "Description for search engines (ru)", 320, 160),
        ("meta_description_en", "Description for search engines (en)", 320, 160),
    ]:
        assert f'<label for="{name}" class="col-form-label">{label}</label>' in seo
        tag = re.search(rf'<(?:input|textarea)[^>]*id="{name}"[^>]*>', seo).group(0)
        assert f'maxlength="{limit}"' in tag and f'data-seo-counter="{shown}"' in tag
        kind = "title" if "title" in name else "description"
        assert f'aria-describedby="seo-{kind}-help {name}-count"' in tag
        assert f'id="{name}-count"' in seo
    assert "about 60 characters" in seo and "about 160 characters" in seo
    assert 'id="seo-title-help"' in seo and 'id="seo-description-help"' in seo
    # the count as the page opens (the script keeps it current)
    count = re.search(r'id="meta_title_en-count"[^>]*>(.*?)</p>', seo, re.S).group(1)
    assert "Characters: 69 (search engines show about 60)." in count
    assert "the end may be cut" in count
    # a preview per language: own title (cut as search engines cut), address, fallbacks
    ru = seo[seo.index('data-seo-preview="ru"'):seo.index('data-seo-preview="en"')]
    en = seo[seo.index('data-seo-preview="en"'):]
    assert ">Пальто</p>" in ru and "Шерстяное пальто</p>" in ru  # the name and summary
    assert "http://localhost/product/palto?lang=ru" in ru
    assert "Wool coat Wool coat" in en and "…</p>" in en and "A wool coat</p>" in en
    # the words of the script, from the page's JSON block
    strings = json.loads(re.search(
        r'<script type="application/json" id="editor-strings">(.*?)</script>', body, re.S
    ).group(1))
    assert strings["seoCount"] == "Characters: %(num)s (search engines show about %(max)s)."
    assert "seoTooLong" in strings


def test_the_create_page_has_the_seo_fields(client, db, as_role):
    as_role("manager", locale="en")
    body = client.get("/admin/products/new/").get_data(as_text=True)
    seo = body[body.index('id="section-seo"'):body.index('id="section-vat"')]
    for name in ("meta_title_ru", "meta_title_en", "meta_description_ru", "meta_description_en"):
        assert f'id="{name}"' in seo
    assert seo.count("data-seo-preview=") == 2 and "Product name" in seo


def test_the_audit_log_names_the_fields(client, db, as_role, token, coat):
    as_role("manager", locale="en")
    assert save(client, token, coat, meta_title_en="Wool coat").status_code == 302
    as_role("admin", locale="en")  # the log is the admins'
    body = client.get("/admin/audit/").get_data(as_text=True)
    cells = " ".join(re.findall(r'<td class="col-changes">(.*?)</td>', body, re.S))
    text = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(cells)).split())
    assert "Title for search engines (en): — → Wool coat" in text
