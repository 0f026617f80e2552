"""Which language a person reads the shop in.

Order of precedence: an explicit `?lang=` in the URL, then for a logged-in user the language
picked in the switcher during this visit (kept in the session, see `visit_language`) and then
their saved preference, then the language picked in the switcher (a cookie), then the browser's
Accept-Language, then Russian.

Dates and times are shown in the reader's time zone: the one a signed-in user chose (`User.
timezone`, issue 19), else the shop's (BABEL_DEFAULT_TIMEZONE). What is written for someone
else (emails, printed documents) uses the shop's, see `shop_time`.
"""

from contextlib import contextmanager
from functools import lru_cache
from types import SimpleNamespace
from zoneinfo import ZoneInfo, available_timezones

import pytz
from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import get_locale as babel_get_locale
from flask_babel import get_timezone as babel_get_timezone

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"
LANG_COOKIE = "lang"
# The switcher's GET only switches the visit; it never changes the saved preference.
VISIT_LANG = "visit_lang"


def visit_language(code: str, user) -> list:
    """What the session keeps for a logged-in user who switched to `code` by a link: the
    language, whose choice it is, and the saved preference it overrides. It ends when another
    user logs in on this browser or the saved preference changes (the profile form)."""
    return [code, user.id, user.locale]


def _user_language():
    from flask_login import current_user

    try:
        if current_user and current_user.is_authenticated:
            lang = getattr(current_user, "locale", None)
            visit = session.get(VISIT_LANG)
            if (
                isinstance(visit, list)
                and visit
                and visit == visit_language(visit[0], current_user)
            ):
                lang = visit[0]
            if lang in LANGUAGES:
                return lang
    except Exception:  # noqa: BLE001 - outside a login context (e.g. CLI), there is no user
        return None
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    forced = getattr(g, "force_language", None) if has_request_context() else None
    if forced in LANGUAGES:
        return forced
    if not has_request_context():
        return DEFAULT_LANGUAGE
    # An explicit ?lang= (the hreflang alternates of every page) wins: a shared link opens in
    # the language it names.
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        return lang
    lang = _user_language()
    if lang:
        return lang
    lang = request.cookies.get(LANG_COOKIE)
    if lang in LANGUAGES:
        return lang
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


DEFAULT_TIMEZONE = "Europe/Moscow"


@lru_cache(maxsize=1)
def known_timezones() -> frozenset:
    """IANA zone names both zoneinfo (the system's tz database) and pytz (which Flask-Babel
    formats with) know; "localtime" and "Factory" are not zones a person lives in."""
    return frozenset(available_timezones() & pytz.all_timezones_set)


def is_timezone(name) -> bool:
    return isinstance(name, str) and name in known_timezones()


def shop_timezone() -> str:
    """The shop's own zone name (BABEL_DEFAULT_TIMEZONE)."""
    if not has_app_context():
        return DEFAULT_TIMEZONE
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_TIMEZONE


def _user_timezone() -> str | None:
    from flask_login import current_user

    try:
        if current_user and current_user.is_authenticated:
            name = getattr(current_user, "timezone", None)
            # A stored value no longer in the tz database (renamed, or typed into the database
            # by hand) falls back to the shop's instead of breaking every page with a date.
            return name if is_timezone(name) else None
    except Exception:  # noqa: BLE001 - outside a login context (e.g. CLI), there is no user
        return None
    return None


def select_timezone() -> str:
    """Flask-Babel's time zone selector: the signed-in user's zone, else the shop's.

    Flask-Babel calls it once per request and keeps the answer (`babel_tzinfo` in `g`), not
    once per date formatted, so the user is read once per request.
    """
    if has_request_context():
        name = _user_timezone()
        if name:
            return name
    return shop_timezone()


def reader_zone() -> ZoneInfo:
    """The zone dates are shown in now (Flask-Babel's, the reader's in a request), as a
    ZoneInfo: for computing local days (the dashboard's periods) in that same zone."""
    if not has_app_context():
        return ZoneInfo(DEFAULT_TIMEZONE)
    try:
        name = babel_get_timezone().zone
    except Exception:  # noqa: BLE001 - Flask-Babel not set up for this app: the shop's zone
        name = shop_timezone()
    return ZoneInfo(name if is_timezone(name) else shop_timezone())


@contextmanager
def shop_time():
    """Format dates in the shop's time zone inside the block, whoever is reading: what is
    written for someone else (an email to the customer, a printed invoice) must not carry the
    zone of the staff member who caused it. Like Flask-Babel's `force_locale`."""
    if not has_app_context():
        yield
        return
    # Flask-Babel keeps the zone of this context in g._flask_babel (see `request_locale`).
    namespace = g.setdefault("_flask_babel", SimpleNamespace())
    missing = object()
    before = getattr(namespace, "babel_tzinfo", missing)
    namespace.babel_tzinfo = pytz.timezone(shop_timezone())
    try:
        yield
    finally:
        if before is missing:
            del namespace.babel_tzinfo
        else:
            namespace.babel_tzinfo = before


def request_locale():
    """(locale, namespace): the locale Flask-Babel keeps for this context and the namespace it
    keeps it in (`g._flask_babel`), or (None, None) outside an app context.

    Read straight from `g`: Flask-Babel's own lookup walks several context proxies, and the
    shop asks dozens of times per page (every translated name, amount and `_()`).
    `force_locale()` and `refresh()` set or drop that attribute, so they still switch it.
    """
    try:
        namespace = g._get_current_object().__dict__.get("_flask_babel")
    except RuntimeError:  # no app context
        return None, None
    locale = getattr(namespace, "babel_locale", None)
    if locale is None:
        locale = babel_get_locale()
        namespace = g.__dict__.get("_flask_babel")
    return locale, namespace


def current_language() -> str:
    """The two-letter code of the language in force (ru outside a request)."""
    try:
        locale, _ = request_locale()
    except Exception:  # noqa: BLE001 - no usable context: fall back to the default
        return DEFAULT_LANGUAGE
    if locale is None:
        return DEFAULT_LANGUAGE
    return locale.language if locale.language in LANGUAGES else DEFAULT_LANGUAGE
