"""The card links built without werkzeug's router are exactly what url_for builds."""

import pytest
from flask import url_for

from shop.catalog.views import product_url, thumb_url
from shop.core.templating import memo_url_for

SLUGS = ["tee-1", "Футболка льняная", "a b/c?d#e%f", "x&y=z", "plain"]


@pytest.mark.parametrize("root", ["/", "/shop/"])
@pytest.mark.parametrize("slug", SLUGS)
def test_product_and_thumbnail_links_match_url_for(app, root, slug):
    script = root.rstrip("/")
    with app.test_request_context("/", base_url=f"https://shop.example{script}/"):
        assert product_url(slug) == url_for("catalog.product", slug=slug)
        for width in (160, 320, 640):
            assert thumb_url(width, slug) == url_for("catalog.thumbnail", width=width, name=slug)
        assert product_url(slug).startswith(f"{script}/product/")


def test_links_follow_the_request_root(app):
    with app.test_request_context("/", base_url="http://one.example/"):
        first = product_url("x")
    with app.test_request_context("/", base_url="http://two.example/mounted/"):
        assert product_url("x") == "/mounted/product/x" != first


def test_remembered_url_for_matches_url_for(app):
    with app.test_request_context("/", base_url="http://a.example/"):
        for _ in range(2):  # the second time from the memo
            assert memo_url_for("catalog.category", slug="shoes") == url_for(
                "catalog.category", slug="shoes")
            assert memo_url_for("catalog.home", _external=True) == "http://a.example/"
        listed = url_for("catalog.search", q=["a", "b"])  # a list: built, not remembered
        assert memo_url_for("catalog.search", q=["a", "b"]) == listed
    with app.test_request_context("/", base_url="http://b.example/p/"):
        assert memo_url_for("catalog.home", _external=True) == "http://b.example/p/"
