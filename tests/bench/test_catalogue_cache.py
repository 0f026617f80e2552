"""The category menu is kept between requests and dropped as soon as the catalogue changes."""

import os
import time

import pytest
from sqlalchemy import event

from shop.core import cache
from shop.core.templating import nav_categories
from tests.factories import CategoryFactory, ProductFactory, VariantFactory


@pytest.fixture()
def menu(db):
    shoes = CategoryFactory(slug="obuv", name_ru="Обувь", name_en="Shoes")
    boots = CategoryFactory(slug="botinki", name_ru="Ботинки", name_en="Boots", parent=shoes)
    VariantFactory(product=ProductFactory(category=boots))
    return shoes


def statements_during(db, func):
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "after_cursor_execute", count)
    try:
        result = func()
    finally:
        event.remove(db.engine, "after_cursor_execute", count)
    return result, len(seen)


def names(items):
    return [(c.name, [k.name for k in c.children]) for c in items]


def test_the_menu_is_read_once_then_kept(app, db, menu):
    # A fresh app context per request, as under uWSGI (Flask-Babel keeps the locale in g).
    with app.app_context(), app.test_request_context("/"):
        first, _ = statements_during(db, nav_categories)
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "en"}):
        again, count = statements_during(db, nav_categories)
        assert count == 0
        assert names(again) == [("Shoes", ["Boots"])]
    with app.app_context(), app.test_request_context("/"):
        assert names(nav_categories()) == [("Обувь", ["Ботинки"])]
    assert [c.slug for c in first] == ["obuv"]


def test_a_committed_change_drops_the_menu(app, db, menu):
    with app.test_request_context("/"):
        nav_categories()
        menu.name_ru = "Обувь и сумки"
        db.session.commit()
        assert names(nav_categories())[0][0] == "Обувь и сумки"


def test_a_rolled_back_change_keeps_the_menu(app, db, menu):
    with app.test_request_context("/"):
        nav_categories()
        before = cache.catalogue_version()
        menu.name_ru = "Черновик"
        db.session.flush()
        db.session.rollback()
        assert cache.catalogue_version() == before
        _, count = statements_during(db, nav_categories)
        assert count == 0


def test_another_process_bumping_the_stamp_drops_the_menu(app, db, menu):
    with app.test_request_context("/"):
        nav_categories()
        before = cache.catalogue_version()
    path = os.path.join(app.instance_path, cache.STAMP_FILE)
    os.makedirs(app.instance_path, exist_ok=True)
    open(path, "a").close()
    later = time.time_ns() + 10**9
    os.utime(path, ns=(later, later))  # what another worker's bump does
    with app.test_request_context("/"):
        assert cache.catalogue_version() != before
        _, count = statements_during(db, nav_categories)
        assert count >= 1


def test_zero_seconds_turns_the_cache_off(app, db, menu, monkeypatch):
    monkeypatch.setitem(app.config, "CATALOGUE_CACHE_SECONDS", 0)
    with app.test_request_context("/"):
        nav_categories()
    with app.test_request_context("/"):
        _, count = statements_during(db, nav_categories)
        assert count >= 1
