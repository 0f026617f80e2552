"""Shared catalogue data (the menu, product cards) is kept through Flask-Caching between
requests and dropped by the commit that changes the catalogue, by the hooks on the app's own
session; the in-process backend stays bounded without sorting itself."""

import os
import time

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from shop.catalog.menu import nav_categories
from shop.catalog.models import Category
from shop.core import cache
from shop.extensions import cache as flask_cache
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
        path = cache._stamp_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "a").close()
    later = time.time_ns() + 10**9
    os.utime(path, ns=(later, later))  # what another worker's bump does
    with app.test_request_context("/"):
        assert cache.catalogue_version() != before
        _, count = statements_during(db, nav_categories)
        assert count >= 1


CARD = (
    "{% call cached_fragment('card', product.id, product.in_stock) %}"
    "{{ tick() }}<b>{{ product.name }}</b> "
    "{{ _('In stock') if product.in_stock else _('Out of stock') }}"
    "{% endcall %}"
)


def card_renderer(app, product):
    template = app.jinja_env.from_string(CARD)
    ticks = []

    def render(lang="ru"):
        with app.app_context(), app.test_request_context("/", headers={"Accept-Language": lang}):
            return template.render(product=product, tick=lambda: ticks.append(1) or "")

    return render, ticks


def test_a_fragment_is_rendered_once_per_key_and_language(app, db, menu):
    from shop.catalog.models import Product

    product = db.session.query(Product).one()
    render, ticks = card_renderer(app, product)
    first = render("ru")
    assert render("ru") == first and len(ticks) == 1
    assert "<b>" in first  # kept as markup, not escaped twice
    assert render("en") != first and len(ticks) == 2
    product.name_ru = "Новое имя"
    db.session.commit()  # a catalogue change: every fragment is rendered again
    assert "Новое имя" in render("ru") and len(ticks) == 3


def test_fragments_kept_against_shared_markup_read_back_whole(app, db):
    """Kept fragments are compressed against markup they share (a card's): read back, they
    are the HTML rendered, and a value kept with one shared text is never read with another
    (each has its own keys)."""
    from markupsafe import Markup

    from shop.catalog.cards import CARD_SHARED

    renders = []

    def render():
        renders.append(1)
        return Markup('<div class="col"><h2>Кеды <b>Ж</b></h2> 1 490,00 ₽</div>')

    with app.test_request_context("/"):
        first = cache.fragments_cached("card-test", [(("a", 1), render)], shared=CARD_SHARED)
        again = cache.fragments_cached("card-test", [(("a", 1), render)], shared=CARD_SHARED)
        assert len(renders) == 1  # kept, then read back
        other = cache.fragments_cached("card-test", [(("a", 1), render)], shared=b"<p>x</p>")
        assert len(renders) == 2  # another shared text: its own key
    assert first == again == other == [render()]


def test_the_key_catches_changes_made_in_sql(app, db, menu):
    from shop.catalog.models import Product

    product = db.session.query(Product).one()
    render, ticks = card_renderer(app, product)
    assert "В наличии" in render()
    # Checkout flips in_stock with a guarded SQL update, which bumps no version.
    db.session.execute(
        Product.__table__.update().where(Product.id == product.id).values(in_stock=False)
    )
    db.session.commit()
    db.session.refresh(product)
    assert "Нет в наличии" in render() and len(ticks) == 2


def test_the_cache_is_flask_cachings_in_process_backend_without_redis(app):
    with app.app_context():
        assert isinstance(flask_cache.cache, cache.LocalCache)


def test_the_version_moves_on_commits_of_the_apps_session_only(app, db, menu):
    """The hooks are registered on `db.session` by init_app, not on SQLAlchemy's Session class:
    another session of the process (a script's, a library's) runs none of them."""
    with app.test_request_context("/"):
        before = cache.catalogue_version()
    with Session(db.engine) as other:
        other.get(Category, menu.id).name_en = "Footwear"
        other.commit()
    with app.test_request_context("/"):
        assert cache.catalogue_version() == before
    assert not event.contains(Session, "after_commit", cache._bump_after_commit)
    assert event.contains(db.session, "after_commit", cache._bump_after_commit)
    with app.test_request_context("/"):
        menu.name_en = "Shoes and boots"
        db.session.commit()
        assert cache.catalogue_version() != before


def test_a_commit_during_a_request_moves_that_requests_version(app, db, menu):
    with app.test_request_context("/"):
        first = cache.catalogue_version()
        menu.name_ru = "Обувь и сумки"
        db.session.commit()
        assert cache.catalogue_version() != first


def test_kept_none_and_zero_are_hits(app, db):
    calls = []

    def load(value):
        def loader():
            calls.append(value)
            return value

        return loader

    with app.test_request_context("/"):
        assert cache.catalogue_cached("nothing", load(None)) is None
        assert cache.catalogue_cached("zero", load(0)) == 0
    with app.test_request_context("/"):
        assert cache.catalogue_cached("nothing", load(None)) is None
        assert cache.catalogue_cached("zero", load(0)) == 0
    assert calls == [None, 0]


def test_the_local_backend_drops_its_oldest_entries_when_full():
    local = cache.LocalCache(threshold=3, default_timeout=0)
    for n in range(5):
        local.set(f"k{n}", n)
    assert [local.get(f"k{n}") for n in range(5)] == [None, None, 2, 3, 4]


def test_the_local_backend_keeps_what_is_read_while_new_entries_come_and_go():
    """A value read often (the catalogue's order, the menu) outlives many values written
    once after it (the cards of products seldom seen): the least recently read go first."""
    local = cache.LocalCache(threshold=3, default_timeout=0)
    local.set("order", [3, 1, 2])
    for n in range(20):
        local.set(f"card{n}", n)
        assert local.get("order") == [3, 1, 2]
    assert local.get("card19") == 19 and local.get("card17") is None


def test_no_page_cache_is_left():
    """Issue 16.3: whole pages with per-reader slots and a swapped CSRF token are gone; only
    shared data is cached by the app (and nginx micro-caches pages read without cookies)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = ("cached_page", "store_page", "personal_header_slot", "PERSONAL_COOKIES",
             "PAGE_CACHE_SECONDS", "CATALOGUE_CACHE_SECONDS", "csrf-token\\x00", "shop_pages")
    found = []
    for folder in ("shop", "admin", "config"):
        for path in (root / folder).rglob("*"):
            if path.suffix in (".py", ".html", ".txt") and path.is_file():
                text = path.read_text(encoding="utf-8")
                found += [f"{path.relative_to(root)}: {name}" for name in names if name in text]
    assert found == []
