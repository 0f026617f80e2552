"""Search with morphology in Russian and English.

Words are reduced to Snowball stems, so "кроссовок", "кроссовки" and "кроссовкам" meet, and
"shoe" finds "Shoes". Russian fleeting vowels ("кроссовок" -> stem "кроссовок", but
"кроссовки" -> "кроссовк") defeat the stemmer, so a query stem ending in vowel + consonant is
also tried without that vowel.

Two engines answer the same question:

* PostgreSQL: full-text search over `Product.search_vector`, a GIN-indexed tsvector column
  (migration 0002_catalog_search) written on every flush by `vector_expression`: the `russian`
  configuration (which stems Latin words with the English stemmer) for names, categories and
  Russian descriptions, `english` for English ones, `simple` for SKUs; names and SKUs weigh
  most, then categories, then descriptions. The
  query is built here from our own stems as a prefix `tsquery`, ranked by `ts_rank`.
* SQLite: `Product.search_text`, kept up to date on every flush, holds
  " <name stems> | <category stems> | <description stems> "; SQL triggers copy its three parts
  into the FTS5 table `product_fts` (migration 0013_fts_search), which the query matches with
  the same stems as prefixes (`fts5_query_text`). A word found in the names ranks above one
  found in the categories, and that above one in the descriptions.

Category names (the product's own and those above it, in both languages) are searched too:
"shoes" finds everything on the Shoes shelf, "sneaker" a running shoe filed under Sneakers.

SKUs are matched on both engines by a case-insensitive prefix on `ProductVariant.sku`.
"""

import re
from functools import lru_cache

import snowballstemmer
from sqlalchemy import func, literal_column

MAX_TERMS = 8
MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TAG = re.compile(r"<[^>]*>")
_CYRILLIC = re.compile(r"[а-яё]")
_VOWELS = "аеёиоуыэюя"
# Words PostgreSQL's russian and english configurations drop; a query must not require them.
STOP_WORDS = frozenset(
    "a an and are as at be by for from in is it of on or the to with "
    "в во и или к ко на не о об от по с со у для из за до".split()
)


@lru_cache(maxsize=2)
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


def words(text: str | None) -> list[str]:
    """Lower-case words of a text, HTML tags dropped, ё read as е."""
    if not text:
        return []
    text = _TAG.sub(" ", text).lower().replace("ё", "е")
    return _WORD.findall(text)


def stem(word: str) -> str:
    language = "russian" if _CYRILLIC.search(word) else "english"
    return _stemmer(language).stemWord(word)


def stems(text: str | None) -> list[str]:
    return [stem(w) for w in words(text)]


def build_search_text(names, descriptions, skus=(), categories=()) -> str:
    """The value of `Product.search_text`: " <name and SKU stems> | <category stems> |
    <description stems> ", so a match in the name ranks above one in the category (the shelf
    the product sits on, and the shelves above it), and that above one in the description."""
    head = []
    for name in names:
        head.extend(stems(name))
    for sku in skus:
        head.extend(words(sku))
    middle = []
    for category in categories:
        middle.extend(stems(category))
    tail = []
    for description in descriptions:
        tail.extend(stems(description))
    return (
        " " + " ".join(_unique(head)) + " | " + " ".join(_unique(middle)) + " | "
        + " ".join(_unique(tail)) + " "
    )


def _unique(items):
    return list(dict.fromkeys(items))


def vector_expression(names, descriptions_ru, descriptions_en, skus=(), categories=()):
    """The SQL (PostgreSQL) that computes `Product.search_vector` from these values: names and
    SKUs weigh most (A), then category names (B), then descriptions (C)."""
    from sqlalchemy.dialects.postgresql import TSVECTOR

    def part(config, text, weight):
        vector = func.to_tsvector(literal_column(f"'{config}'::regconfig"), text, type_=TSVECTOR)
        return func.setweight(vector, literal_column(f"'{weight}'"), type_=TSVECTOR)

    def plain(values):
        return " ".join(" ".join(words(v)) for v in values if v)

    parts = [
        part("russian", plain(names), "A"),
        part("simple", " ".join(s.lower() for s in skus if s), "A"),
        part("russian", plain(categories), "B"),
        part("russian", plain(descriptions_ru), "C"),
        part("english", plain(descriptions_en), "C"),
    ]
    vector = parts[0]
    for other in parts[1:]:
        vector = vector.op("||", return_type=TSVECTOR)(other)
    return vector


def printable(text: str | None) -> str:
    """`text` without control characters (PostgreSQL refuses NUL) and outer spaces."""
    return "".join(c for c in (text or "") if c.isprintable()).strip()


def query_terms(q: str | None) -> list[list[str]]:
    """For each word of the query, the stems to look for (a word matches when any of them does).

    At most MAX_TERMS words count; anything that is not a letter or digit is ignored, so quotes,
    `%`, `_`, SQL fragments and emoji cannot reach SQL as syntax.
    """
    terms = []
    for word in words((q or "")[:MAX_QUERY_LENGTH]):
        if word in STOP_WORDS:
            continue
        base = stem(word)
        variants = [base]
        if (
            len(base) >= 5
            and _CYRILLIC.search(base)
            and base[-2] in "оеё"
            and base[-1] not in _VOWELS
            and base[-3] not in _VOWELS
        ):
            variants.append(base[:-2] + base[-1])  # кроссовок -> кроссовк
        if variants not in terms:
            terms.append(variants)
        if len(terms) >= MAX_TERMS:
            break
    return terms


def tsquery_text(terms) -> str:
    # Only letters and digits reach this string (see query_terms), so no tsquery syntax can leak.
    return " & ".join("(" + " | ".join(f"{v}:*" for v in variants) + ")" for variants in terms)


def fts5_query_text(terms) -> str:
    """The FTS5 MATCH expression for `query_terms`: every word, any of its stems as a prefix.

    Each stem is a quoted string, so a word such as NEAR, AND or OR is looked for, never read as
    an operator; only letters and digits reach it (see query_terms), and a stray double quote
    would be doubled anyway.
    """
    quoted = lambda v: '"' + v.replace('"', '""') + '"*'  # noqa: E731
    return " AND ".join("(" + " OR ".join(quoted(v) for v in variants) + ")" for variants in terms)


# Made by migration 0013_fts_search and declared by no model (an FTS5 virtual table with its
# shadow tables, SQLite only; an index on SKUs that ignores case, defined per engine): Alembic
# must not compare them.
FTS_TABLE = "product_fts"
SKU_NOCASE_INDEX = "ix_product_variant_sku_nocase"


def include_in_schema_compare(name, type_, _parent_names) -> bool:
    """Alembic's `include_name` hook: everything but those search objects."""
    if type_ == "table":
        return name != FTS_TABLE and not name.startswith(FTS_TABLE + "_")
    if type_ == "index":
        return name != SKU_NOCASE_INDEX
    return True
