"""The catalogue's ORM hooks, all of them, registered on the app's session by `init_app`.

* Listing summaries: any ORM change to a variant (or a new product) recomputes the product's
  `min_price` and `in_stock` after the flush (`refresh_summaries`), and the stale values loaded
  in the session are expired.
* Saving's safety net: a category, product or variant that changed without its caller calling
  `shop.catalog.saving` is saved by the same functions before the flush, and the log says so
  (a warning naming the object), so a writer that forgot is seen and fixed. Every writer of
  the shop saves explicitly (the back office, the CSV import, the demo seed, the test
  factories); the net keeps a forgotten one from leaving stale slugs or search data.

They listen on `db.session`, not on SQLAlchemy's `Session` class (shop.core.session_events),
so no other session in the process runs them.
"""

import logging

from shop.catalog import saving
from shop.catalog.models import Category, Product, ProductVariant, refresh_summaries
from shop.core.session_events import listen_on_app_session

log = logging.getLogger(__name__)


def init_app(app) -> None:
    listen_on_app_session(
        ("before_flush", _save_what_callers_did_not),
        ("after_flush", _keep_summaries_current),
        ("after_flush_postexec", _expire_stale_summaries),
    )


def _save_what_callers_did_not(session, _context, _instances):
    categories, products = [], set()
    with session.no_autoflush:
        changed = list(session.new) + list(session.dirty) + list(session.deleted)
        for obj in changed:
            if not isinstance(obj, (Category, Product, ProductVariant)):
                continue
            if not saving.needs_saving(obj, session):
                continue
            log.warning("catalogue: %s %s changed without shop.catalog.saving; saved now",
                        type(obj).__name__, getattr(obj, "id", None) or "(new)")
            if isinstance(obj, Category):
                categories.append(obj)
            elif isinstance(obj, Product):
                products.add(obj)
            elif obj.product is not None:
                products.add(obj.product)
    for category in categories:
        saving.save_category(category, session)
    for product in products:
        if product not in session.deleted:
            saving.save_product(product, session)


def _keep_summaries_current(session, _context):
    touched = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, ProductVariant):
            touched.add(obj.product_id)
        elif isinstance(obj, Product) and obj in session.new:
            touched.add(obj.id)
    if touched:
        refresh_summaries(session.connection(), touched)
        session.info.setdefault("summaries_to_expire", set()).update(touched)


def _expire_stale_summaries(session, _context):
    ids = session.info.pop("summaries_to_expire", None)
    if not ids:
        return
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Product) and obj.id in ids:
            session.expire(obj, ["min_price", "in_stock"])
