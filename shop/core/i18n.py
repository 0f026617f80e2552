"""Which language a person reads the shop in.

Order of precedence: an explicit `?lang=` in the URL, then for a logged-in user the language
picked in the switcher during this visit (kept in the session, see `visit_language`) and then
their saved preference, then the language picked in the switcher (a cookie), then the browser's
Accept-Language, then Russian.
"""

from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale as babel_get_locale

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


def select_timezone() -> str:
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Moscow")


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
