"""Cross-request caches of catalogue data, dropped as soon as the catalogue changes.

Some things every page shows (the category menu) change a few times a day but would otherwise
be read from the database on every request. `catalogue_cached(key, loader)` keeps such a value
in the worker's memory until the catalogue changes:

* Any committed ORM change to a category, product, variant or image bumps the *catalogue
  version* (a session `after_commit` hook, so a rolled-back change bumps nothing).
* The version is shared by every process of the shop: a counter in Redis when `REDIS_URL` is
  set (many hosts), otherwise the modification time of `<instance>/catalogue.version` (one
  host, several uWSGI workers). A worker compares the version before using its copy, which
  costs one `stat` (or one Redis GET) per request.
* Writes that bypass the ORM (bulk SQL) are caught by a time limit, `CATALOGUE_CACHE_SECONDS`
  (5 minutes by default; 0 turns the cache off).

Cached values must not be ORM objects bound to a session: copy what the page needs into plain
objects (see `shop.catalog.menu.MenuCategory`).
"""

import logging
import os
import threading
import time
from collections import OrderedDict

from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

REDIS_KEY = "shop:catalogue:version"
STAMP_FILE = "catalogue.version"
_CHANGED = "catalogue_changed"
_VERSION_KEY = "shop.catalogue_version"
MEMO_MAX = 5000  # values kept by catalogue_cached per worker (facets and counts of listings)
FRAGMENTS_MAX = 4000  # rendered fragments kept per worker (a product card is about 1.5 KB)
_lock = threading.Lock()
_local_version = 0  # bumps seen by this process (immediate, even before the shared stamp)


# Models whose committed changes move the catalogue version. Core knows no feature: each
# feature names its own models (shop.catalog.models, shop.shipping.models) when it is imported.
_CATALOGUE_CLASSES: tuple = ()


def watch_catalogue_models(*classes) -> None:
    """Committed ORM changes to these models move the catalogue version (drop the caches)."""
    global _CATALOGUE_CLASSES
    _CATALOGUE_CLASSES = tuple(dict.fromkeys((*_CATALOGUE_CLASSES, *classes)))


# Cookies that make the reader's header their own (the cart's): a reader with one gets their own
# header rendered; a stranger without any shares the kept one. Features add theirs.
PERSONAL_COOKIES: set = set()


REDIS_RETRY_SECONDS = 5.0  # after a failure, Redis is left alone this long (an outage)
_redis_down_until = 0.0


def _redis_failed() -> None:
    """Redis did not answer: use the local fallbacks for a few seconds instead of waiting for
    its timeout on every request while it is down."""
    global _redis_down_until
    _redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS


def _redis_resting() -> bool:
    """Redis is configured but failed a moment ago: do as when it is down, without asking."""
    return bool(current_app.config.get("REDIS_URL")) and time.monotonic() < _redis_down_until


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("shop_cache_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        current_app.extensions["shop_cache_redis"] = client
    return client


def _stamp_path() -> str:
    # CATALOGUE_VERSION_FILE: tests give each run its own (the instance folder is shared).
    return current_app.config.get("CATALOGUE_VERSION_FILE") or os.path.join(
        current_app.instance_path, STAMP_FILE
    )


def catalogue_version():
    """The shared version of the catalogue: changes whenever anyone commits a catalogue edit.

    The shared part (file or Redis) is read once per request; this process's own bumps count
    at once, even within the request that made them.
    """
    environ = request.environ if has_request_context() else {}
    shared = environ.get(_VERSION_KEY)
    if shared is None:
        shared = environ[_VERSION_KEY] = _shared_version()
    return (*shared, _local_version)


def _shared_version():
    if _redis_resting():
        return ("local", None)
    client = _redis()
    if client is not None:
        try:
            return ("redis", client.get(REDIS_KEY))
        except Exception:  # noqa: BLE001 - Redis down: fall back to the local count and the TTL
            log.warning("catalogue cache: Redis unavailable, using the local version")
            _redis_failed()
            return ("local", None)
    try:
        stamp = os.stat(_stamp_path()).st_mtime_ns
    except OSError:
        stamp = 0
    return ("file", stamp)


def bump_catalogue_version() -> None:
    """Tell every worker that the catalogue changed (called after a commit that changed it)."""
    global _local_version
    with _lock:
        _local_version += 1
    if not has_app_context() or _redis_resting():
        return
    client = _redis()
    if client is not None:
        try:
            client.incr(REDIS_KEY)
        except Exception:  # noqa: BLE001 - the TTL still bounds how stale other hosts get
            log.warning("catalogue cache: could not bump the version in Redis")
            _redis_failed()
        return
    path = _stamp_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a"):
            pass
        before = os.stat(path).st_mtime_ns
        now = max(time.time_ns(), before + 1)
        os.utime(path, ns=(now, now))
    except OSError:
        log.warning("catalogue cache: could not touch %s", path)


def catalogue_cached(key, loader):
    """`loader()`, computed once per catalogue version (and at most CATALOGUE_CACHE_SECONDS old).

    The cache belongs to the app (tests build several apps on different databases).
    """
    ttl = current_app.config.get("CATALOGUE_CACHE_SECONDS", 300)
    if not ttl:
        return loader()
    memo = current_app.extensions.setdefault("shop_catalogue_cache", {})
    version = catalogue_version()
    now = time.monotonic()
    entry = memo.get(key)
    if entry is not None and entry[0] == version and now - entry[1] < ttl:
        return entry[2]
    value = loader()
    if len(memo) >= MEMO_MAX:  # keys made of shoppers' input (searches): start afresh
        memo.clear()
    memo[key] = (version, now, value)
    return value


def catalogue_cache_get(key):
    """The value kept by `catalogue_cached`/`catalogue_cache_put` under `key`, or None."""
    ttl = current_app.config.get("CATALOGUE_CACHE_SECONDS", 300)
    entry = current_app.extensions.get("shop_catalogue_cache", {}).get(key) if ttl else None
    if entry is None or entry[0] != catalogue_version() or time.monotonic() - entry[1] >= ttl:
        return None
    return entry[2]


def catalogue_cache_put(key, value) -> None:
    """Keep `value` under `key` for this catalogue version (when the cache is on)."""
    if not current_app.config.get("CATALOGUE_CACHE_SECONDS", 300):
        return
    memo = current_app.extensions.setdefault("shop_catalogue_cache", {})
    if len(memo) >= MEMO_MAX:
        memo.clear()
    memo[key] = (catalogue_version(), time.monotonic(), value)


def fragment_cached(key, render):
    """HTML rendered by `render()`, kept per (key, language, URL root, catalogue version),
    LRU-bounded.

    For pieces of pages that depend only on catalogue data and the language, such as a
    product card: never for anything holding a CSRF token, the user or the cart. Put in the key
    whatever changes behind the ORM's back and the piece shows (e.g. `product.in_stock`, which
    checkout updates in SQL).
    """
    from shop.core.i18n import current_language

    if not current_app.config.get("CATALOGUE_CACHE_SECONDS"):
        return render()
    fragments = current_app.extensions.get("shop_fragments")
    if fragments is None:
        fragments = current_app.extensions.setdefault("shop_fragments", OrderedDict())
    # Every input of the markup: links are built against the request's root (scheme, host and
    # the prefix the server mounts us under), so pages served under another root never share
    # a fragment.
    root = request.root_url if has_request_context() else None
    full_key = (tuple(key), current_language(), root, catalogue_version())
    now = time.monotonic()
    with _lock:
        entry = fragments.get(full_key)
        # The same time limit as catalogue_cached, for changes made behind the ORM's back.
        if entry is not None and now - entry[0] < current_app.config["CATALOGUE_CACHE_SECONDS"]:
            fragments.move_to_end(full_key)
            return entry[1]
    html = render()
    with _lock:
        fragments[full_key] = (now, html)
        while len(fragments) > FRAGMENTS_MAX:
            fragments.popitem(last=False)
    return html


def note_catalogue_change(session) -> None:
    """A change the ORM does not see (SQL on the catalogue's tables) is committed with this
    session's transaction: bump the catalogue version after that commit, as for ORM changes."""
    session.info[_CHANGED] = True


@event.listens_for(Session, "before_flush")
def _note_catalogue_changes(session, _context, _instances):
    if session.info.get(_CHANGED):
        return
    classes = _CATALOGUE_CLASSES
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, classes):
            session.info[_CHANGED] = True
            return


@event.listens_for(Session, "after_commit")
def _bump_after_commit(session):
    if session.info.pop(_CHANGED, False):
        bump_catalogue_version()


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session, _previous_transaction):
    if not session.in_transaction():
        session.info.pop(_CHANGED, None)


# --- Whole storefront pages, with a slot for the reader's own header ----------------------------
#
# A storefront page (home, category, search, product) depends on its URL, the language and the
# catalogue, except for two per-reader parts: the CSRF token of its forms and the header's
# mini-cart / account menu. Such a GET is kept for PAGE_CACHE_SECONDS (a few seconds; 0 turns it
# off), keyed on the full URL (host included), the language and the catalogue version, so a
# committed catalogue change shows at once and a change behind the ORM's back (stock
# decremented in SQL by checkout) within those seconds.
#
# Never one person's page for another: while a page may be kept, the header's personal part is
# rendered as a placeholder (personal_header_slot) and the CSRF token is swapped for one; both
# are filled for each reader, on the request that rendered the page and on every hit (so each
# reader gets their own cart, name and token, and a session exactly as without the cache).
# Not kept, nor served from the cache: requests with credentials in headers, readers with
# flashed messages waiting (they are part of the body), responses that are not a plain 200,
# set a cookie of their own or say no-store. A template of these pages must not show anything
# else of the reader outside partials/header_user.html.

PAGES_MAX = 300  # pages kept per worker (a listing is about 40 KB)
_CSRF_PLACEHOLDER = "\x00csrf-token\x00"
_HEADER_PLACEHOLDER = "\x00personal-header\x00"
_PAGE_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control")
REFRESH_GRACE = 10.0  # seconds an expired page may still be served while one request renders it
_refreshing = {}  # page key -> when a request started rendering it again


def _page_cache_seconds() -> float:
    return current_app.config.get("PAGE_CACHE_SECONDS", 5) or 0


def _page_key():
    from flask import request

    if request.method != "GET" or not _page_cache_seconds():
        return None
    if request.authorization is not None or request.headers.get("Authentication-Token"):
        return None
    from flask import session

    if "_flashes" in session:  # messages for this reader: shown in the page body
        return None
    from shop.core.i18n import current_language

    return (request.url, current_language(), catalogue_version())


def cached_page():
    """The response for this request from the page cache, or None (call before the view)."""
    from flask import g

    key = _page_key()
    g.shop_page_key = key
    if key is None:
        return None
    pages = current_app.extensions.get("shop_pages")
    if not pages:
        return None
    now = time.monotonic()
    with _lock:
        entry = pages.get(key)
        if entry is None:
            return None
        age = now - entry[0]
        if age >= _page_cache_seconds() + REFRESH_GRACE:
            return None
        if age >= _page_cache_seconds():
            # Expired: this request renders it again while the others are still served the
            # kept copy (same catalogue version) instead of all rendering it at once.
            started = _refreshing.get(key)
            if started is None or now - started > REFRESH_GRACE:
                _refreshing[key] = now
                return None
    g.shop_page_key = None  # served from the cache: nothing to store afterwards
    _, body, headers = entry
    from shop.core.sql import reading_only

    reading_only()  # the reader's header needs at most one statement, and nothing is written
    response = current_app.response_class(_personalise(body), status=200)
    for name, value in headers:
        response.headers[name] = value
    return response


def personal_header_slot():
    """For base.html: the placeholder of the reader's header part while the page may be kept
    for others (filled by store_page), or "" when the header is to be rendered in place."""
    from flask import g
    from markupsafe import Markup

    if not has_request_context() or g.get("shop_page_key") is None:
        return ""
    g.shop_personal_slot = True
    return Markup(_HEADER_PLACEHOLDER)  # noqa: S704 - a constant of ours


def _personalise(body: str) -> str:
    """A kept page's placeholders filled for this reader: own header, own CSRF token."""
    if _HEADER_PLACEHOLDER in body:
        body = body.replace(_HEADER_PLACEHOLDER, _personal_header())
    if _CSRF_PLACEHOLDER in body:
        from flask_wtf.csrf import generate_csrf

        body = body.replace(_CSRF_PLACEHOLDER, generate_csrf())
    return body


def _personal_header() -> str:
    """partials/header_user.html for this reader. Everyone without a session or a cart (a
    first visit, a search engine) sees the same one, so that one is kept per language."""
    from flask import render_template
    from flask_login import current_user

    def render():
        return render_template("partials/header_user.html")

    if current_user.is_authenticated or any(request.cookies.get(c) for c in PERSONAL_COOKIES):
        return render()
    return fragment_cached(("header-of-a-stranger",), render)


def store_page(response):
    """Keep `response` for the next readers when it is safe to (after the view), then fill the
    reader's own header into it."""
    from flask import g

    key = g.pop("shop_page_key", None)
    personal = g.pop("shop_personal_slot", False)
    if key is not None:
        with _lock:
            _refreshing.pop(key, None)
    storable = key is not None and not (
        response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or response.headers.getlist("Set-Cookie")
        or "no-store" in (response.headers.get("Cache-Control") or "")
    )
    if key is not None and not storable:  # e.g. a product hidden since: no kept copy any more
        with _lock:
            current_app.extensions.get("shop_pages", {}).pop(key, None)
    if not storable and not personal:
        return response
    body = response.get_data(as_text=True)
    if storable:
        token = g.get("csrf_token")
        kept = body.replace(token, _CSRF_PLACEHOLDER) if token else body
        headers = [(n, response.headers[n]) for n in _PAGE_HEADERS if n in response.headers]
        pages = current_app.extensions.get("shop_pages")
        if pages is None:
            pages = current_app.extensions.setdefault("shop_pages", OrderedDict())
        with _lock:
            pages[key] = (time.monotonic(), kept, headers)
            pages.move_to_end(key)
            while len(pages) > PAGES_MAX:
                pages.popitem(last=False)
    if personal:
        response.set_data(_personalise(body))
    return response
