"""Caches of shared catalogue data, dropped by the commit that changes the catalogue.

What is kept: values every reader sees alike, computed from the catalogue and the language only
(the category menu, a listing's filter options and total, delivery methods, a rendered product
card). Never a page, and never anything of one reader: no cart, user, flash message or CSRF
token. Cached values must not be ORM objects bound to a session: copy what the page needs into
plain objects (see `shop.catalog.menu.MenuCategory`); they are pickled, as Redis needs.

Where: Flask-Caching, with its RedisCache when `SHOP_REDIS_URL` is set (every node and worker
shares one cache; a worker also keeps a copy of each value it read, so a page of cards costs no
round trip per card), else `LocalCache` in each worker's memory.

When a kept value goes: every key lives in the namespace of the *catalogue version*, and a
committed change of what the values show moves the version on, so the next request of any
worker or node computes them again (the old keys are left to expire or be evicted):

* ORM changes to the models features name with `watch_catalogue_models` are noted before each
  flush; SQL that bypasses the ORM (the guarded stock updates of checkout and inventory, which
  recompute a product's `in_stock` and lowest price in `shop.catalog.models.refresh_summaries`)
  calls `note_catalogue_change(session)` in the same transaction.
* A sale that leaves a variant in stock at the same lowest price moves nothing: nothing kept may
  show a variant's exact stock (the product page, which does, is rendered for every request).
* The version moves after the commit (a rolled-back change moves nothing): a counter in Redis
  (one INCR) when Redis is set, otherwise the modification time of `<instance>/catalogue.version`
  (one host, several uWSGI workers) plus this process's own count.
* The version is read once per request, lazily (one Redis GET or one `stat`); a commit made
  during the request moves that request's copy too.

There is no time limit to wait for: `CACHE_DEFAULT_TIMEOUT` frees memory of versions no one
reads any more. It also bounds the one case a change can be missed: Redis unreachable at the
moment of the bump (this process then moves the version as soon as Redis answers again) and the
process dying before that. While Redis is down, nothing is cached: every value is computed.

The hooks listen on the app's session (`db.session`, shop.core.session_events), registered by
`init_app`.
"""

import hashlib
import logging
import os
import threading
import time
import zlib

from flask import current_app, has_app_context, has_request_context, request
from flask_caching.backends import SimpleCache
from markupsafe import Markup

from shop.core.i18n import current_language
from shop.core.session_events import listen_on_app_session
from shop.extensions import cache

log = logging.getLogger(__name__)

VERSION_KEY = "catalogue-version"  # the Redis counter (under CACHE_KEY_PREFIX)
STAMP_FILE = "catalogue.version"
_CHANGED = "catalogue_changed"  # session.info flag: bump after this transaction commits
_REQUEST_VERSION = "shop.catalogue_version"  # the request's copy, in its WSGI environ
_lock = threading.Lock()
_local_version = 0  # bumps made by this process (counts at once, even if the stamp cannot move)

# Models whose committed changes move the catalogue version. Core knows no feature: each
# feature names its own models (shop.catalog.models, shop.shipping.models) when it is imported.
_CATALOGUE_CLASSES: tuple = ()


def watch_catalogue_models(*classes) -> None:
    """Committed ORM changes to these models move the catalogue version (drop the caches)."""
    global _CATALOGUE_CLASSES
    _CATALOGUE_CLASSES = tuple(dict.fromkeys((*_CATALOGUE_CLASSES, *classes)))


def note_catalogue_change(session) -> None:
    """A change the ORM does not see (SQL on the catalogue's tables) is committed with this
    session's transaction: move the catalogue version after that commit, as for ORM changes."""
    session.info[_CHANGED] = True


class LocalCache(SimpleCache):
    """Flask-Caching's in-process cache, dropping its least recently read entries when full.

    cachelib's SimpleCache sorts every entry on each write once it is full, which real traffic
    (thousands of different pages, each with its cards) keeps it: a few milliseconds per card.
    Here the entries are kept in the order they were last read or written, and the first go
    first: entries of an old catalogue version are never read again, and what every page
    reads (the catalogue's orders, the menu, the filter options of busy categories) stays
    while cards of rarely seen products come and go. Dropping the oldest written instead
    threw the catalogue's orders out every few thousand cards, and each cost a sort of the
    whole catalogue to make again.
    """

    def get(self, key: str):
        with self._lock:
            entry = self._cache.pop(key, None)
            if entry is None:
                return None
            self._cache[key] = entry  # read now: the last to be dropped
        expires, value = entry
        if expires == 0 or expires > time.time():
            return self.serializer.loads(value)
        return None

    def _prune(self) -> None:
        entries = self._cache
        while len(entries) >= self._threshold:
            del entries[next(iter(entries))]


def init_app(app) -> None:
    """The cache backend for this app, and the hooks that move the version on commit."""
    config = {"CACHE_TYPE": "shop.core.cache.LocalCache"}
    if app.config.get("REDIS_URL"):
        config = {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": app.config["REDIS_URL"],
            # A Redis that does not answer costs half a second, then is left alone a while.
            "CACHE_OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    cache.init_app(app, config=config)
    # The version lives where the values do: decided once, with the backend.
    app.extensions["shop_cache_in_redis"] = bool(app.config.get("REDIS_URL"))
    if app.config.get("REDIS_URL"):
        _know_redis_errors()
        # Copies of what this worker read from Redis (see _lookup).
        app.extensions["shop_cache_near"] = LocalCache(
            threshold=app.config.get("CACHE_THRESHOLD", 10000), default_timeout=0
        )
    listen_on_app_session(
        ("before_flush", _note_catalogue_changes),
        ("after_commit", _bump_after_commit),
        ("after_soft_rollback", _forget_on_rollback),
    )


# --- The catalogue version ----------------------------------------------------------------------

# What an unreachable or failing Redis raises; anything else (a value that cannot be pickled)
# is a bug and is raised, not taken for an outage. Redis's own errors join once an app uses
# Redis: without SHOP_REDIS_URL the redis package (sixty modules) is never loaded.
REDIS_ERRORS: tuple = (OSError,)


def _know_redis_errors() -> None:
    global REDIS_ERRORS
    from redis.exceptions import RedisError

    REDIS_ERRORS = (RedisError, OSError)
REDIS_RETRY_SECONDS = 5.0  # after a failure, Redis is left alone this long (an outage)
_redis_down_until = 0.0
_bump_owed = False  # a bump that could not reach Redis: made as soon as Redis answers


def _uses_redis() -> bool:
    return current_app.extensions.get("shop_cache_in_redis", False)


def _redis_failed(what: str) -> None:
    """Redis did not answer: compute instead of caching for a few seconds, rather than wait
    for its timeout on every request while it is down."""
    global _redis_down_until
    log.warning("catalogue cache: Redis unavailable (%s); not caching for a while", what)
    _redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS


def _redis_resting() -> bool:
    return _uses_redis() and time.monotonic() < _redis_down_until


def _stamp_path() -> str:
    # CATALOGUE_VERSION_FILE: tests give each run its own (the instance folder is shared).
    return current_app.config.get("CATALOGUE_VERSION_FILE") or os.path.join(
        current_app.instance_path, STAMP_FILE
    )


def _read_version() -> str | None:
    """The shared version now, or None while Redis is configured but unreachable."""
    global _bump_owed
    if not _uses_redis():
        try:
            stamp = os.stat(_stamp_path()).st_mtime_ns
        except OSError:
            stamp = 0
        return f"f{stamp}.{_local_version}"
    if _redis_resting():
        return None
    try:
        if _bump_owed:
            _bump_owed = False
            return f"r{_incr_version()}"
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, _fresh_count(), timeout=0)  # the first node to ask sets it
            version = cache.get(VERSION_KEY)
        return f"r{version}"
    except REDIS_ERRORS:  # Redis down or slow: serve without the cache
        _redis_failed("reading the version")
        return None


def _fresh_count() -> int:
    """Where the Redis counter starts: above every number it gave before, so a counter that
    Redis lost (a restart without persistence, FLUSHALL) never names an old version again, of
    which a worker may still hold copies. Microseconds since the epoch."""
    return time.time_ns() // 1000


def _incr_version() -> int:
    count = cache.cache.inc(VERSION_KEY)  # the backend's INCR (Flask-Caching's proxy has none)
    if count == 1:  # the counter was gone (it never starts at 0): start it afresh
        count = _fresh_count()
        cache.set(VERSION_KEY, count, timeout=0)
    return count


def catalogue_version() -> str | None:
    """The catalogue version, the namespace of every kept value (None: do not cache now).

    Read once per request; outside a request (commands, tests) on every call.
    """
    if not has_request_context():
        return _read_version()
    environ = request.environ
    if _REQUEST_VERSION not in environ:
        environ[_REQUEST_VERSION] = _read_version()
    return environ[_REQUEST_VERSION]


def bump_catalogue_version() -> None:
    """Tell every worker and node that the catalogue changed (after a commit that changed it)."""
    global _local_version, _bump_owed
    with _lock:
        _local_version += 1
    if not has_app_context():
        return
    new = None
    if _uses_redis():
        if _redis_resting():
            _bump_owed = True
        else:
            try:
                new = f"r{_incr_version()}"
            except REDIS_ERRORS:  # made when Redis answers again
                _bump_owed = True
                _redis_failed("moving the version")
    else:
        new = _touch_stamp()
    if has_request_context():
        # The rest of this request reads what it has just written.
        request.environ[_REQUEST_VERSION] = new


def _touch_stamp() -> str:
    path = _stamp_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a"):
            pass
        before = os.stat(path).st_mtime_ns
        now = max(time.time_ns(), before + 1)
        os.utime(path, ns=(now, now))
    except OSError:
        log.warning("catalogue cache: could not touch %s; other workers keep their copies", path)
    return _read_version()


# --- Kept values --------------------------------------------------------------------------------


def _full_key(version: str, key) -> str:
    # Keys hold shoppers' input (a search's words): hashed, so any key is a short, safe string.
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    return f"catalogue:{version}:{digest}"


def _lookup(version: str, key):
    """(value,) kept under `key` for `version`, or None."""
    return _lookup_full(_full_key(version, key))


def _stores():
    """(this worker's copies of Redis values or None, the cache backend)."""
    return current_app.extensions.get("shop_cache_near"), cache.cache


def _lookup_full(full: str, stores=None):
    """(value,) kept under this full key, or None. With Redis, a value read once is copied
    into this worker's memory: a key names one version, so the copy stays right, and a page
    of product cards costs no round trip per card. `stores`: `_stores()`, when the caller
    reads many keys."""
    near, backend = stores or _stores()
    kept = near.get(full) if near is not None else None
    if kept is None:
        try:
            kept = backend.get(full)
        except REDIS_ERRORS:  # Redis failed mid-way: compute instead
            _redis_failed("reading a value")
            return None
        if kept is not None and near is not None:
            near.set(full, kept)
    return kept


def _keep(version: str, key, value) -> None:
    _keep_full(_full_key(version, key), value)


def _keep_full(full: str, value, stores=None) -> None:
    near, backend = stores or _stores()
    kept = (value,)  # wrapped, so that a kept None or 0 is told apart from a miss
    try:
        backend.set(full, kept)
    except REDIS_ERRORS:
        _redis_failed("keeping a value")
        return
    if near is not None:
        near.set(full, kept)


def catalogue_cached(key, loader):
    """`loader()`, computed once per catalogue version and kept for every worker that shares
    the cache."""
    version = catalogue_version()
    if version is None:
        return loader()
    kept = _lookup(version, key)
    if kept is not None:
        return kept[0]
    value = loader()
    _keep(version, key, value)
    return value


def fragment_cached(key, render):
    """HTML rendered by `render()`, kept per (key, language, URL root, catalogue version).

    For pieces of pages that depend only on catalogue data and the language, such as the
    category menu: never for anything holding a CSRF token, the user or the cart. Links are
    built against the request's root (scheme, host and the prefix the server mounts us
    under), so pages served under another root never share a fragment.
    """
    return fragments_cached("fragment", [(tuple(key), render)])[0]


def worker_kept(name: str, load):
    """`load()`, kept as it is (not pickled) in this worker's memory for the catalogue
    version of the request, and loaded again once the version moves. For plain data that a
    request reads many times or that is too big to unpickle on each read (the category tree,
    what a category page's filters ask of each product); a request reads one version
    throughout, hence one value. Outside a request, or while Redis is unreachable, `load()`
    runs on each call."""
    version = catalogue_version() if has_request_context() else None
    if version is None:
        return load()
    extensions = current_app.extensions
    kept = extensions.get(f"shop_worker_kept:{name}")
    if kept is None or kept[0] != version:
        kept = (version, load())
        extensions[f"shop_worker_kept:{name}"] = kept
    return kept[1]


def fragments_cached(kind: str, items, shared: bytes = b"") -> list:
    """Many fragments of one kind at once, as `fragment_cached` keeps each: `items` are
    (key, render) pairs, the result their HTML in order. The version, the language and the
    request's root are read once for all (a listing shows two dozen product cards).

    Keys are the caller's own values (ids, flags, prices, fragment names), never a shopper's
    input: they are written into the cache key as they are; the language and root (the
    client's Host header) are hashed. The HTML is kept compressed (zlib), starting from
    `shared`, markup that fragments of this kind have in common (zlib's preset dictionary):
    a product card, a kilobyte of HTML, keeps about a hundred bytes, so a worker's cache
    holds several times as many for the same memory, and inflating one costs a few
    microseconds against tens to render it. The dictionary's checksum is part of the keys:
    a value is never read back with another dictionary than it was made with.
    """
    version = catalogue_version()
    if version is None:
        return [render() for _key, render in items]
    root = request.root_url if has_request_context() else None
    scope = hashlib.blake2b(
        repr((kind, current_language(), root, zlib.crc32(shared))).encode(), digest_size=16
    ).hexdigest()
    prefix = f"catalogue:{version}:{scope}:"
    stores = _stores()
    html = []
    for key, render in items:
        full = prefix + repr(key)
        kept = _lookup_full(full, stores)
        if kept is None:
            fresh = str(render())
            packer = zlib.compressobj(6, zdict=shared) if shared else zlib.compressobj(6)
            _keep_full(full, packer.compress(fresh.encode()) + packer.flush(), stores)
        else:
            unpacker = zlib.decompressobj(zdict=shared) if shared else zlib.decompressobj()
            fresh = unpacker.decompress(kept[0]).decode()
        html.append(Markup(fresh))  # noqa: S704 (markup rendered by the caller, kept as it was)
    return html


# --- The hooks ----------------------------------------------------------------------------------


def _note_catalogue_changes(session, _context, _instances):
    if session.info.get(_CHANGED):
        return
    classes = _CATALOGUE_CLASSES
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, classes):
            session.info[_CHANGED] = True
            return


def _bump_after_commit(session):
    if session.info.pop(_CHANGED, False):
        bump_catalogue_version()


def _forget_on_rollback(session, _previous_transaction):
    if not session.in_transaction():
        session.info.pop(_CHANGED, None)
