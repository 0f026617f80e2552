"""Ending sessions for real: a logged-out cookie, replayed, is anonymous.

Flask keeps the session in a signed cookie, so the server cannot delete it. Each login gets a
fresh random id in the session (`shop_sid`); logout records the SHA-256 of that id, and of the
remember-me cookie if there is one, in `revoked_session` until the cookie would have expired
anyway. Every request carrying a revoked id is treated as logged out. Changing the password or
deleting the account goes further: Flask-Security rotates the user's uniquifier, which ends all
of that user's sessions at once.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, request, session
from sqlalchemy import delete, select

from shop.accounts.models import RevokedSession
from shop.core.models import utcnow
from shop.extensions import db

SESSION_KEY = "shop_sid"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _remember_cookie() -> str | None:
    return request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))


def _lifetime() -> timedelta:
    session_life = current_app.permanent_session_lifetime
    remember_life = current_app.config.get("REMEMBER_COOKIE_DURATION") or timedelta(days=365)
    if not isinstance(remember_life, timedelta):
        remember_life = timedelta(seconds=int(remember_life))
    return max(session_life, remember_life) + timedelta(days=1)


def start_session() -> None:
    """Give the session a new id at login (the pre-login id, if any, is revoked)."""
    old = session.get(SESSION_KEY)
    if old:
        revoke([old])
    session[SESSION_KEY] = secrets.token_urlsafe(24)


def end_session() -> None:
    """Revoke the current session id and remember-me cookie (one commit)."""
    tokens = [session.get(SESSION_KEY), _remember_cookie()]
    revoke([t for t in tokens if t])
    session.pop(SESSION_KEY, None)


def revoke(tokens: list[str]) -> None:
    now = utcnow()
    db.session.execute(delete(RevokedSession).where(RevokedSession.expires_at < now))
    for token in tokens:
        digest = _digest(token)
        if db.session.get(RevokedSession, digest) is None:
            db.session.add(RevokedSession(token_hash=digest, expires_at=now + _lifetime()))
    db.session.commit()


def is_revoked(token: str) -> bool:
    return (
        db.session.scalar(
            select(RevokedSession.token_hash).where(RevokedSession.token_hash == _digest(token))
        )
        is not None
    )


def refuse_revoked_sessions() -> None:
    """before_request: forget a session (and a remember-me cookie) that was logged out."""
    if request.endpoint == "static":
        return
    sid = session.get(SESSION_KEY)
    remember = _remember_cookie()
    if (sid and is_revoked(sid)) or (
        remember and "_user_id" not in session and is_revoked(remember)
    ):
        session.clear()
        # tells Flask-Login not to log in from the remember-me cookie, and to delete it
        session["_remember"] = "clear"
