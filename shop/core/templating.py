"""Jinja globals and filters shared by every template (money, language, translated enums)."""

import hashlib
import os
from collections import OrderedDict
from threading import Lock

from flask import current_app, request, url_for
from flask_babel import format_datetime, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup

from shop.core.cache import fragment_cached
from shop.core.i18n import LANGUAGES, current_language, request_locale
from shop.core.money import amount_in_words, format_money


def cached_fragment(*key, caller):
    """`{% call cached_fragment('card', product.id, product.in_stock) %}...{% endcall %}`.

    The block is rendered once per key, language and catalogue version, then reused by every
    worker sharing the cache (shop.core.cache.fragment_cached): only for markup made of
    catalogue data, never of the user, the cart or a CSRF token.
    """
    # The caller's output is already Markup (autoescaped), and is kept as such.
    return fragment_cached(key, caller)


# One way to write a moment, in both languages: "1 Dec 2026, 16:13" / "1 дек. 2026 г., 16:13".
# Babel's "short" wrote "12/1/26, 4:13 PM" in English (day or month first?); this names the month
# and uses the 24-hour clock, as Russia does. Naive values are UTC and are shown in the shop's
# time zone (BABEL_DEFAULT_TIMEZONE, Europe/Moscow).
WHEN_FORMAT = "d MMM y, HH:mm"


def format_when(value, _fmt=None) -> str:
    """A date and time as people read it (the `datetime` filter; the back office's columns)."""
    return format_datetime(value, WHEN_FORMAT) if value else ""


def asset_url(filename: str) -> str:
    """URL of a file under shop/static with a content hash, so a new version is a new URL."""
    versions = current_app.extensions.setdefault("asset_versions", {})
    version = versions.get(filename)
    if version is None:
        path = os.path.join(current_app.static_folder, filename)
        with open(path, "rb") as handle:
            version = hashlib.sha256(handle.read()).hexdigest()[:10]
        versions[filename] = version
    return memo_url_for("static", filename=filename, v=version)


URL_MEMO_SIZE = 4096  # URLs kept per worker (~0.5 MB)
_url_memo: OrderedDict = OrderedDict()
_url_memo_lock = Lock()


def memo_url_for(endpoint: str, **values) -> str:
    """Templates' `url_for`: the same URL, remembered per worker for the links every page
    repeats (the menu, the footer, assets).

    Werkzeug builds a URL in ~40 µs, and a page has about a hundred. A URL depends only on
    the endpoint, its values and the request's root (scheme, host, mount prefix); the URL map
    does not change while the app runs. Relative endpoints (".x") also depend on the current
    blueprint, and values that are not hashable (lists) are simply not remembered.
    """
    try:
        key = (request.root_url, request.blueprint if endpoint[:1] == "." else None, endpoint,
               tuple(sorted(values.items())))
        hash(key)
    except TypeError:
        return url_for(endpoint, **values)
    url = _url_memo.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        with _url_memo_lock:
            _url_memo[key] = url
            if len(_url_memo) > URL_MEMO_SIZE:
                _url_memo.popitem(last=False)
    return url


def init_app(app):
    app.jinja_env.globals.update(
        url_for=memo_url_for,
        asset=asset_url,
        get_locale=current_language,
        current_language=current_language,
        LANGUAGES=LANGUAGES,
        cached_fragment=cached_fragment,
    )
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["amount_in_words"] = amount_in_words
    app.jinja_env.filters["datetime"] = format_when
    configure_jinja(app)
    install_fast_gettext(app)


def _translations():
    """The request's Translations, looked up once per locale instead of on every `_()`.

    Flask-Babel resolves the context, the domain and the locale again for every string (three
    context lookups through `g`, and the locale formatted into a cache key): about a third of
    the time of a template full of `_()`. This keeps the result next to Flask-Babel's own
    locale (in `g._flask_babel`, see shop.core.i18n.request_locale), tagged with the locale
    object it belongs to, so `force_locale()` (emails in the customer's language) and
    `refresh()` still switch it.
    """
    locale, namespace = request_locale()
    if locale is None or namespace is None:  # no app context: null translations
        return get_translations()
    memo = getattr(namespace, "shop_translations", None)
    if memo is not None and memo[0] is locale:
        return memo[1]
    translations = get_translations()
    namespace.shop_translations = (locale, translations)
    return translations


def install_fast_gettext(app):
    """Jinja's `_()`, `gettext`, `ngettext`, ... through `_translations()` (same results).

    Jinja's own "newstyle" callables take the whole template context (`pass_context`), and
    Jinja copies that context (every variable and block) for each such call made inside a
    loop or after a `{% set %}` in a block: on a cart page of 12 lines that copying was a
    tenth of the page. These do the same (translate, mark safe when autoescaping, then
    `%`-format the keyword arguments, which are escaped) with only the evaluation context.
    """
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: s, ngettext=lambda s, p, n: s, newstyle=True
    )  # for the `{% trans %}` tag's newstyle compilation; replaced just below

    def _finish(eval_ctx, text, variables):
        if eval_ctx.autoescape:
            # Our own catalogue's text is trusted markup (as in Jinja); the values are escaped.
            text = Markup(text)  # noqa: S704
        return text % variables  # always a format string, as in Jinja's newstyle gettext

    @pass_eval_context
    def gettext(eval_ctx, string, **variables):
        return _finish(eval_ctx, _translations().ugettext(string), variables)

    @pass_eval_context
    def ngettext(eval_ctx, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return _finish(eval_ctx, _translations().ungettext(singular, plural, num), variables)

    @pass_eval_context
    def pgettext(eval_ctx, context, string, **variables):
        variables.setdefault("context", context)
        return _finish(eval_ctx, _translations().upgettext(context, string), variables)

    @pass_eval_context
    def npgettext(eval_ctx, context, singular, plural, num, **variables):
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        text = _translations().unpgettext(context, singular, plural, num)
        return _finish(eval_ctx, text, variables)

    app.jinja_env.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )


def configure_jinja(app):
    """Compiled templates: in memory per worker (Jinja's cache), and as bytecode on disk.

    uWSGI recycles a worker every few thousand requests (max-requests) and each new worker
    (lazy-apps) would compile every template again on its first requests, which shows up as
    p99 spikes under load. The bytecode cache, keyed by each template's source checksum, lets
    a new worker load them instead. Templates are never re-read from disk unless
    TEMPLATES_AUTO_RELOAD (or debug) asks for it.
    """
    import os

    from jinja2 import FileSystemBytecodeCache

    env = app.jinja_env
    if app.debug or app.testing or not app.config.get("JINJA_BYTECODE_CACHE", True):
        return
    directory = os.path.join(app.instance_path, "jinja-cache")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return  # a read-only instance folder: compile in memory only
    env.bytecode_cache = FileSystemBytecodeCache(directory)
