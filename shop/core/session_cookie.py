"""The session cookie is never written by a response for a file (CSS, JS, images).

A browser fetches a page's files in parallel with the next thing the visitor does. Such a
request carries the session cookie as it was when it left; if it changed the session (Flask-
Login marks a new session "not fresh" on its first request) its response would set that old
cookie again, and arriving after a login's or a 2FA step's response it would undo them: the
visitor finds themselves logged out. Files never need the session written, and a response that
sets a cookie must not be kept by a shared cache either, so responses of these endpoints
leave the cookie alone.
"""

from flask import request
from flask.sessions import SecureCookieSessionInterface

FILE_ENDPOINTS = frozenset(
    {
        "static",
        "admin.static",
        "bootstrap.static",
        "security.static",
        "catalog.thumbnail",
        "catalog.original",
    }
)


class SessionInterface(SecureCookieSessionInterface):
    def save_session(self, app, session, response):
        if request.endpoint in FILE_ENDPOINTS:
            return
        super().save_session(app, session, response)


def init_app(app) -> None:
    app.session_interface = SessionInterface()
