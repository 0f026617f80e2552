"""Small SQL helpers shared by the storefront and the back office."""

from sqlalchemy import Unicode, cast
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from shop.extensions import db


def like_escape(value: str) -> str:
    """Escape LIKE wildcards: `%` and `_` typed by a person match themselves (escape: `\\`)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_pattern(value: str) -> str:
    """A LIKE pattern matching `value` anywhere; use with `escape="\\\\"`."""
    return f"%{like_escape(value)}%"


def prefix_pattern(value: str) -> str:
    """A LIKE pattern matching text that starts with `value`; use with `escape="\\\\"`."""
    return f"{like_escape(value)}%"


class text_lower(FunctionElement):
    """`lower(x)` that folds every alphabet, on both engines.

    SQLite's own `lower()` folds ASCII only ("Кроссовки" stays as it is), so there the
    function is `unicode_lower()`, which shop.core.sqlite registers on every connection;
    PostgreSQL's `lower()` folds Unicode under the UTF-8 locale the database is created with.
    """

    type = Unicode()
    name = "text_lower"
    inherit_cache = True


@compiles(text_lower)
def _lower_default(element, compiler, **kw):
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(text_lower, "sqlite")
def _lower_sqlite(element, compiler, **kw):
    return f"unicode_lower({compiler.process(element.clauses, **kw)})"


def contains_word(column, word: str):
    """`column` contains `word` (already lower-cased), ignoring case in any alphabet; `%` and
    `_` in `word` match themselves."""
    return text_lower(cast(column, Unicode)).like(contains_pattern(word), escape="\\")


def starts_with_word(column, word: str):
    """`column` starts with `word` (already lower-cased), ignoring case in any alphabet."""
    return text_lower(cast(column, Unicode)).like(prefix_pattern(word), escape="\\")


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
