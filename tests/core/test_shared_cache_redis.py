"""Two shop nodes on one Redis (SHOP_REDIS_URL) share the catalogue cache: what one node
computed, the other reads; a change committed through either shows on both at once.

Each test uses its own key prefix (SHOP_CACHE_KEY_PREFIX) on the local Redis and deletes its
keys afterwards.
"""

import secrets
from decimal import Decimal

import pytest
import redis
from sqlalchemy import event

from shop.catalog.menu import nav_categories
from shop.catalog.models import Product, ProductVariant
from shop.core import cache
from shop.extensions import cache as flask_cache
from shop.extensions import db as _db
from shop.shipping.models import DeliveryMethod
from tests.checkout.helpers import place
from tests.factories import CategoryFactory, DeliveryMethodFactory, ProductFactory, VariantFactory
from tests.ops.helpers import dispose, env_app

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture()
def prefix(monkeypatch):
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    # A Redis outage test before this one must not leave this process resting.
    monkeypatch.setattr(cache, "_redis_down_until", 0.0)
    monkeypatch.setattr(cache, "_bump_owed", False)
    name = f"lavka-test-{secrets.token_hex(6)}:"
    yield name
    for key in client.scan_iter(match=name + "*"):
        client.delete(key)
    client.close()


@pytest.fixture()
def nodes(monkeypatch, db, prefix):
    apps = [
        env_app(monkeypatch, SHOP_REDIS_URL=REDIS_URL, SHOP_CACHE_KEY_PREFIX=prefix)
        for _ in range(2)
    ]
    yield apps
    for app in apps:
        dispose(app)
    # No call to Redis failed: a failure would have hidden the cache (nothing cached meanwhile).
    assert cache._redis_down_until == 0.0


@pytest.fixture()
def shelf(db):
    """Ids only: an object of the test's own session, touched inside a node's app context,
    would load through that node's engine and keep one of its connections."""
    category = CategoryFactory(slug="obuv", name_ru="Обувь", name_en="Shoes")
    product = ProductFactory(category=category, slug="kedy", name_ru="Кеды", name_en="Trainers")
    variant = VariantFactory(product=product, price=Decimal("1000"), stock=2)
    VariantFactory(product=ProductFactory(category=category, name_en="Boots"), stock=5)
    courier = DeliveryMethodFactory()
    return product.id, variant.id, courier.id


def statements(app, func):
    """func() in a request of `app`, and how many SQL statements it ran."""
    seen = []
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        engine = _db.engine

        def count(*_args):
            seen.append(1)

        event.listen(engine, "after_cursor_execute", count)
        try:
            result = func()
        finally:
            event.remove(engine, "after_cursor_execute", count)
    return result, len(seen)


def version(app):
    with app.test_request_context("/"):
        return cache.catalogue_version()


def menu_names():
    return [category.name for category in nav_categories()]


def page(app, path):
    response = app.test_client(use_cookies=False).get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_the_backend_is_redis(nodes):
    from flask_caching.backends import RedisCache

    with nodes[0].app_context():
        assert isinstance(flask_cache.cache, RedisCache)


def test_what_one_node_computed_the_other_reads(nodes, shelf):
    a, b = nodes
    names, count = statements(a, menu_names)
    assert names == ["Shoes"] and count >= 1
    names, count = statements(b, menu_names)
    assert names == ["Shoes"]
    assert count == 0  # from Redis, filled by node A


def test_a_change_through_one_node_shows_on_the_other_at_once(nodes, shelf):
    a, b = nodes
    product_id, variant_id, courier_id = shelf
    assert "Trainers" in page(b, "/catalog/obuv")
    assert "2 products" in page(b, "/catalog/obuv?in_stock=1")
    statements(b, menu_names)

    before = version(b)
    with a.test_request_context("/"):
        _db.session.get(Product, product_id).name_en = "Canvas trainers"
        _db.session.commit()
    assert version(b) not in (before, None)
    assert "Canvas trainers" in page(b, "/catalog/obuv")  # the card kept by B's first look

    with a.test_request_context("/"):
        variant = _db.session.get(ProductVariant, variant_id)
        place(variant, quantity=2, method=_db.session.get(DeliveryMethod, courier_id))
    body = page(b, "/catalog/obuv?in_stock=1")  # a total kept in Redis
    assert "1 product" in body and "Canvas trainers" not in body

    with b.test_request_context("/"):
        _db.session.get(ProductVariant, variant_id).price = Decimal("1500")
        _db.session.commit()
    assert "1,500" in page(a, "/catalog/obuv")


def test_a_worker_reads_each_kept_value_from_redis_once(nodes, shelf, monkeypatch):
    a, b = nodes
    page(a, "/catalog/obuv")  # node A fills Redis
    backend = b.extensions["cache"][flask_cache]
    asked = []
    real = backend.get

    def get(key):
        asked.append(key)
        return real(key)

    monkeypatch.setattr(backend, "get", get)
    first = page(b, "/catalog/obuv")
    assert len(asked) > 3  # the version, the menu, the filter options, the total, the cards
    asked.clear()
    assert page(b, "/catalog/obuv") == first
    assert asked == [cache.VERSION_KEY]  # only the version: the values are this worker's copies


def test_a_counter_redis_lost_never_names_an_old_version_again(nodes, shelf, prefix):
    """Redis restarted empty (or flushed): the counter starts above every number it gave, so
    the copies a worker kept of an old version are never taken for the new one."""
    a, b = nodes
    product_id = shelf[0]
    with a.test_request_context("/"):
        _db.session.get(Product, product_id).name_en = "Trainers v2"
        _db.session.commit()
    assert "Trainers v2" in page(b, "/catalog/obuv")  # B keeps copies of this version
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)  # the restart
    client.close()
    with a.test_request_context("/"):
        _db.session.get(Product, product_id).name_en = "Trainers v3"
        _db.session.commit()
    body = page(b, "/catalog/obuv")
    assert "Trainers v3" in body and "Trainers v2" not in body
