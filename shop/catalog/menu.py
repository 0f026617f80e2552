"""The category menu every storefront page shows, kept between requests.

It changes a few times a day but would otherwise be read on every request: it is kept with
`catalogue_cached` until the catalogue changes (shop.core.cache), as plain copies (an ORM object
must not outlive its session). Templates call it as the `nav_categories()` global, registered
by the catalogue's blueprint.
"""

from sqlalchemy.exc import SQLAlchemyError

from shop.catalog.queries import nav_categories as query
from shop.core.cache import catalogue_cached
from shop.core.models import Translated
from shop.extensions import db


class MenuCategory:
    """A category as the menu shows it: a plain copy, safe to keep between requests."""

    __slots__ = ("slug", "name_ru", "name_en", "children")
    active = True
    name = Translated("name")

    def __init__(self, category):
        self.slug = category.slug
        self.name_ru = category.name_ru
        self.name_en = category.name_en
        self.children = [MenuCategory(child) for child in category.children if child.active]


def _menu():
    return [MenuCategory(category) for category in query()]


def nav_categories():
    """The category menu; empty when the database is down (an error page must still render)."""
    try:
        return catalogue_cached("nav_categories", _menu)
    except SQLAlchemyError:
        db.session.rollback()
        return []
