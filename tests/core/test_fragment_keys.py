"""Cached fragments (menu, product cards, a stranger's header) are keyed on every input of
their markup, so no request can poison them for later readers (issue 13.2).

The audit's attack: a few requests with `X-Forwarded-Prefix: //evil.example` left every later
visitor with links to //evil.example in the menu, the cards and the log-in links for minutes.
"""

import pytest

from shop.core.net import PROXY_MARK
from tests.factories import CategoryFactory, ProductFactory, VariantFactory
from tests.ops.helpers import dispose, env_app


@pytest.fixture()
def shelf(db):
    category = CategoryFactory(slug="obuv", name_ru="Обувь", name_en="Shoes")
    product = ProductFactory(category=category, slug="kedy", name_ru="Кеды", name_en="Trainers")
    VariantFactory(product=product)
    return category


@pytest.fixture()
def fragments_on(monkeypatch, tmp_path):
    monkeypatch.setenv("SHOP_CATALOGUE_VERSION_FILE", str(tmp_path / "catalogue.version"))


def test_forwarded_prefix_cannot_poison_cached_fragments(monkeypatch, shelf, fragments_on):
    app = env_app(monkeypatch, SHOP_PROXY_COUNT="1")
    try:
        attacker = app.test_client(use_cookies=False)
        attacker.environ_base[PROXY_MARK] = "1"
        for _ in range(3):
            for path in ("/", "/catalog/obuv"):
                attacker.get(path, headers={"X-Forwarded-Prefix": "//evil.example"})
        visitor = app.test_client(use_cookies=False)
        for path in ("/", "/catalog/obuv", "/account/login"):
            html = visitor.get(path).get_data(as_text=True)
            assert "evil.example" not in html, path
    finally:
        dispose(app)


def test_a_fragment_rendered_under_another_root_is_not_reused(monkeypatch, shelf, fragments_on):
    """The same app mounted under a prefix (SCRIPT_NAME) and at the root: each gets its links."""
    app = env_app(monkeypatch)
    try:
        client = app.test_client(use_cookies=False)
        mounted = client.get("/catalog/obuv", environ_overrides={"SCRIPT_NAME": "/lavka"})
        assert 'href="/lavka/catalog/obuv"' in mounted.get_data(as_text=True)
        assert 'href="/lavka/product/kedy"' in mounted.get_data(as_text=True)
        plain = client.get("/catalog/obuv").get_data(as_text=True)
        assert "/lavka/" not in plain
        assert 'href="/product/kedy"' in plain
    finally:
        dispose(app)
