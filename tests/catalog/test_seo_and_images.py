"""Sitemap, robots.txt, and product images (thumbnails made once, cached for a year)."""

import os
import re
from xml.etree import ElementTree

from shop.catalog.images import thumb_path
from shop.extensions import db as _db
from tests.catalog.conftest import make_image

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def test_sitemap_lists_visible_pages_in_both_languages(client, shoes):
    shoes["gym"].active = False
    _db.session.commit()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ElementTree.fromstring(response.data)
    locs = [u.find("s:loc", NS).text for u in root.findall("s:url", NS)]
    for path in ("/", "/catalog/obuv", "/catalog/krossovki", "/product/krossovki-begovye"):
        for lang in ("ru", "en"):
            assert f"http://localhost{path}?lang={lang}" in locs
    assert not any("krossovki-dlya-zala" in loc for loc in locs)
    first = root.find("s:url", NS)
    links = {x.get("hreflang"): x.get("href") for x in first.findall("x:link", NS)}
    assert set(links) == {"ru", "en", "x-default"}


def test_robots_points_to_the_sitemap(client, db):
    body = client.get("/robots.txt").get_data(as_text=True)
    assert "User-agent: *" in body and "Disallow: /admin/" in body
    assert "Sitemap: http://localhost/sitemap.xml" in body


def test_thumbnails_are_made_once_and_cached_long(app, client, shoes):
    image = make_image(shoes["run"], size=(1200, 900))
    url = f"/media/products/320/{image.filename}"
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == "image/webp"
    assert "max-age=31536000" in first.headers["Cache-Control"]
    assert "immutable" in first.headers["Cache-Control"]
    first.close()
    with app.app_context():
        path = thumb_path(image.filename, 320)
    made = os.stat(path).st_mtime_ns
    client.get(url).close()
    assert os.stat(path).st_mtime_ns == made
    from PIL import Image

    with Image.open(path) as thumb:
        assert thumb.size == (320, 240)


def test_image_urls_refuse_odd_sizes_and_names(client, shoes):
    image = make_image(shoes["run"])
    for url in (
        f"/media/products/333/{image.filename}",
        "/media/products/320/../../etc/passwd",
        "/media/products/320/" + "0" * 32 + ".jpg",
        "/media/products/original/x.jpg",
    ):
        assert client.get(url).status_code == 404, url


def test_cards_have_images_with_sizes_and_alt(client, shoes):
    make_image(shoes["run"], size=(800, 600), alt_ru="Беговые кроссовки сбоку")
    body = client.get("/catalog/obuv").get_data(as_text=True)
    img = re.search(r'<img src="/media/products/320/[^>]*>', body).group(0)
    # the first cards are on screen when the page opens: not lazy (tests/core/test_page_weight)
    assert 'loading="lazy"' not in img and 'width="320" height="240"' in img
    assert 'alt="Беговые кроссовки сбоку"' in img


def test_page_and_language_links_are_those_url_for_builds(app, db):
    """The pager's and the language switch's links (built without werkzeug's router, see
    shop.catalog.views._this_url) are the very URLs url_for builds, for any query."""
    from flask import request, url_for

    from shop.catalog.views import lang_url, page_linker

    cases = [
        ("/catalog/obuv", "catalog.category", {"slug": "obuv"}),
        ("/catalog/obuv?sort=price_asc&size=42&size=43&colour=чёрный&page=3",
         "catalog.category", {"slug": "obuv"}),
        ("/search?q=синие+кроссовки&lang=en&_anchor=x&in_stock=1", "catalog.search", {}),
        ("/search?q=a%2Fb+%26c%3D%3F&price_min=10", "catalog.search", {}),
        ("/new?slug=ignored&page=2", "catalog.new_arrivals", {}),
    ]
    for path, endpoint, view_args in cases:
        with app.test_request_context(path):
            args = {
                k: v for k, v in request.args.to_dict(flat=False).items() if not k.startswith("_")
            }
            for page in (1, 2, 7):
                expected = url_for(endpoint, **{**args, "page": page, **view_args})
                assert page_linker()(page) == expected
            for lang in ("ru", "en", None):
                query = {**args, "lang": lang}
                query = {k: v for k, v in query.items() if v is not None}
                expected = url_for(endpoint, _external=True, **{**query, **view_args})
                assert lang_url(lang) == expected
