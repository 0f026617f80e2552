"""List search in the back office: case-insensitive in every alphabet, on SQLite and PostgreSQL.

Flask-Admin searches with `ILIKE`, which SQLite runs as `lower(x) LIKE lower(y)` with an
ASCII-only `lower()`: "кроссовки" found nothing while "Кроссовки" found six products. Here
both sides are lowered by a Unicode-aware function instead: PostgreSQL's `lower()` (Unicode
under the UTF-8 locale the database is created with), and on SQLite `unicode_lower()`, which
`shop.core.sqlite` registers on every connection. The typed text is lowered by Python, and
`%` and `_` typed by a person match themselves.
"""

from sqlalchemy import Unicode, cast, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from shop.core.sql import contains_pattern


class text_lower(FunctionElement):
    """`lower(x)` that folds every alphabet, on both engines."""

    type = Unicode()
    name = "text_lower"
    inherit_cache = True


@compiles(text_lower)
def _lower_default(element, compiler, **kw):
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(text_lower, "sqlite")
def _lower_sqlite(element, compiler, **kw):
    return f"unicode_lower({compiler.process(element.clauses, **kw)})"


def search_terms(search: str) -> list[str]:
    """The words typed into a list's search box, lower-cased (every word must match)."""
    return [word.lower() for word in search.split() if word]


def contains_word(column, word: str):
    """`column` contains `word` (already lower-cased), ignoring case in any alphabet."""
    return text_lower(cast(column, Unicode)).like(contains_pattern(word), escape="\\")


def any_contains(columns, word: str):
    """One of `columns` contains `word`."""
    return or_(*(contains_word(column, word) for column in columns))
