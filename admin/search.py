"""List search in the back office: case-insensitive in every alphabet, on SQLite and PostgreSQL.

Flask-Admin searches with `ILIKE`, which SQLite runs as `lower(x) LIKE lower(y)` with an
ASCII-only `lower()`: "кроссовки" found nothing while "Кроссовки" found six products. Here
both sides are lowered by a Unicode-aware function instead (`shop.core.sql.text_lower`):
PostgreSQL's `lower()` (Unicode under the UTF-8 locale the database is created with), and on
SQLite `unicode_lower()`, which `shop.core.sqlite` registers on every connection. The typed
text is lowered by Python, and `%` and `_` typed by a person match themselves.
"""

from sqlalchemy import or_

# The case folding and the matching live in shop.core.sql, where the domain's searches
# (shop.catalog.lookup) use them too; the back office's list searches import them from here.
from shop.core.sql import contains_word

__all__ = ["any_contains", "contains_word", "search_terms"]


def search_terms(search: str) -> list[str]:
    """The words typed into a list's search box, lower-cased (every word must match)."""
    return [word.lower() for word in search.split() if word]


def any_contains(columns, word: str):
    """One of `columns` contains `word`."""
    return or_(*(contains_word(column, word) for column in columns))
