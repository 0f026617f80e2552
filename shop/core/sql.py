"""Small SQL helpers shared by the storefront and the back office."""

from shop.extensions import db


def like_escape(value: str) -> str:
    """Escape LIKE wildcards: `%` and `_` typed by a person match themselves (escape: `\\`)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_pattern(value: str) -> str:
    """A LIKE pattern matching `value` anywhere; use with `escape="\\\\"`."""
    return f"%{like_escape(value)}%"


def reading_only() -> None:
    """Run the rest of this request's statements without a transaction (autocommit).

    For a view that only reads, and reads what one statement can give consistently: each
    statement then costs one round trip instead of BEGIN, the statement and the closing
    ROLLBACK. Does nothing when the request has already begun a transaction (a signed-in
    user's row was loaded, say) or on SQLite, where a transaction costs no round trip.
    """
    session = db.session()
    if session.in_transaction() or db.engine.dialect.name == "sqlite":
        return
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
