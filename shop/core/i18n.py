"""Which language a person reads the shop in.

Order of precedence: an explicit `?lang=` in the URL, then the logged-in user's saved
preference, then the language picked in the switcher (a cookie), then the browser's
Accept-Language, then Russian.
"""

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale as babel_get_locale

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"
LANG_COOKIE = "lang"


def _user_language():
    from flask_login import current_user

    try:
        if current_user and current_user.is_authenticated:
            lang = getattr(current_user, "locale", None)
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


def select_timezone() -> str:
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Moscow")


def current_language() -> str:
    """The two-letter code of the language in force (ru outside a request).

    Called for every translated name and amount on a page (dozens of times per request), so it
    reads the locale Flask-Babel keeps for the request (`g._flask_babel.babel_locale`) before
    asking Flask-Babel, whose lookup goes through several context proxies; `force_locale()`
    and `refresh()` drop that attribute, so they still switch the answer.
    """
    try:
        namespace = g._get_current_object().__dict__.get("_flask_babel")
    except RuntimeError:  # no app context: fall back to the default
        return DEFAULT_LANGUAGE
    locale = getattr(namespace, "babel_locale", None)
    if locale is None:
        try:
            locale = babel_get_locale()
        except Exception:  # noqa: BLE001 - no app context: fall back to the default
            return DEFAULT_LANGUAGE
    if locale is None:
        return DEFAULT_LANGUAGE
    return locale.language if locale.language in LANGUAGES else DEFAULT_LANGUAGE
