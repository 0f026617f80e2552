"""Site-wide views: the language switch and the error pages."""

import logging

from blinker import Namespace
from flask import Blueprint, current_app, make_response, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user

from shop.core.i18n import LANG_COOKIE, LANGUAGES, VISIT_LANG, visit_language
from shop.core.urls import safe_next
from shop.extensions import db

bp = Blueprint("core", __name__)
# A signed-in reader chose a language to keep (the switch's POST): the accounts feature saves it.
# Core knows no feature, so it only announces the choice (sender: the app; user=, code=).
language_chosen = Namespace().signal("language-chosen")
log = logging.getLogger(__name__)


@bp.route("/lang/<code>", methods=["GET", "POST"])
def set_language(code):
    """Switch language and stay on the same page.

    The header's links are GETs, which anyone (an image tag on another site, a prefetching
    browser) can make a browser send: they switch the language of this visit only (a cookie,
    and for a logged-in user the session) and never write to the database. Saving a logged-in
    user's preferred language, which their emails follow too, takes a POST with the CSRF token
    (this one, or the profile form).
    """
    if code not in LANGUAGES:
        return render_error(404)
    response = make_response(redirect(safe_next(default="/")))
    _set_language_cookie(response, code)
    if not current_user.is_authenticated:
        return response
    if request.method == "POST":  # CSRFProtect has checked the token
        language_chosen.send(current_app._get_current_object(), user=current_user, code=code)
        session.pop(VISIT_LANG, None)
    elif code != current_user.locale:
        session[VISIT_LANG] = visit_language(code, current_user)
    else:
        session.pop(VISIT_LANG, None)
    return response


@bp.after_app_request
def carry_url_language(response):
    """A page opened with `?lang=` keeps that language for the next click.

    hreflang alternates and the sitemap point search engines (and so their visitors) at
    `?lang=en`; the links on the page carry no `lang`, so without this the next page fell back
    to the cookie or the browser's language. It does what the switcher's GET does (a cookie,
    and for a logged-in user this visit's language), only when the language differs.
    """
    code = request.args.get("lang")
    if request.method != "GET" or code not in LANGUAGES or response.status_code >= 400:
        return response
    if request.cookies.get(LANG_COOKIE) != code:
        _set_language_cookie(response, code)
    if current_user.is_authenticated:
        if code != current_user.locale:
            if session.get(VISIT_LANG) != visit_language(code, current_user):
                session[VISIT_LANG] = visit_language(code, current_user)
        elif VISIT_LANG in session:
            session.pop(VISIT_LANG)
    return response


def _set_language_cookie(response, code):
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )


def render_error(status: int, text: str | None = None):
    """The error page for `status`; `text` says what exactly was wrong (translated already)."""
    titles = {
        400: _("Bad request"),
        403: _("Access denied"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        413: _("The upload is too large"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
    }
    texts = {
        400: _("The request could not be understood. Please go back and try again."),
        403: _("You do not have permission to open this page."),
        404: _("The page you are looking for does not exist or has been moved."),
        405: _("This page cannot be used this way."),
        413: _("The file you sent is larger than we accept."),
        429: _("You are doing that too often. Please wait a minute and try again."),
        500: _("We have been notified and are looking into it. Please try again later."),
    }
    body = render_template(
        "errors/error.html",
        status=status,
        title=titles.get(status, titles[500]),
        text=text or texts.get(status, texts[500]),
    )
    return body, status


def register_errorhandlers(app):
    for status in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(status, lambda exc, status=status: render_error(status))

    @app.errorhandler(500)
    def internal_error(exc):
        # The traceback goes to the log, never to the page.
        db.session.rollback()
        return render_error(500)
