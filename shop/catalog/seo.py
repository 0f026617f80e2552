"""A product's own title and description for search engines (issue 19.2, the editor's SEO tab).

Staff may give each language its own `<title>` and meta description (Product.meta_title_ru/_en,
meta_description_ru/_en). They are plain text: whitespace squeezed to single spaces, no HTML
(refused rather than stripped, so nobody wonders where their "<b>" went), at most the column's
length. Left empty, the page says what it said before: the product's name and the first words
of its description.

Deliberately no `Translated()` fallback to Russian: an English page with no English meta text
falls back to the English name and summary (which themselves fall back as they always did),
never to Russian text written for Russian searches.

The back office's form (admin/catalog.py) and the CSV import (shop.inventory.catalog_csv) check
values with `clean_meta`; the product page (shop.catalog.views) reads them with `own_title` and
`page_description`, from the product already loaded: no statement of its own.
"""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from shop.core.errors import ValidationFailed

META_TITLE_LENGTH = 200  # the columns' lengths (migration 0021)
META_DESCRIPTION_LENGTH = 320
# About as much as search engines show before they cut (what the editor's counter compares with).
SHOWN_TITLE = 60
SHOWN_DESCRIPTION = 160
META_LIMITS = {
    "meta_title_ru": META_TITLE_LENGTH,
    "meta_title_en": META_TITLE_LENGTH,
    "meta_description_ru": META_DESCRIPTION_LENGTH,
    "meta_description_en": META_DESCRIPTION_LENGTH,
}
META_FIELDS = tuple(META_LIMITS)

# A tag ("<b>", "</p>", "<!--", "<br/>") or a character reference ("&amp;", "&#160;"): a
# lone "<" or "&" in words ("размер < 40", "H&M") is text.
_TAG = re.compile(r"<(?:/?[A-Za-z]|[!?])[^<>]*>?")
_ENTITY = re.compile(r"&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def squeeze(value: str | None) -> str:
    """The text on one line: control characters dropped, runs of whitespace one space."""
    text = "".join(
        " " if ch.isspace() else ch
        for ch in (value or "")
        if ch.isspace() or unicodedata.category(ch) != "Cc"
    )
    return " ".join(text.split())


def clean_meta(value: str | None, limit: int) -> str | None:
    """`value` as stored: squeezed plain text, None when empty (the page's fallback).

    Raises ValidationFailed when it holds HTML (a tag or a character reference) or is longer
    than `limit` characters once squeezed.
    """
    text = squeeze(value)
    if not text:
        return None
    tag = _TAG.search(text)
    if tag:
        raise ValidationFailed(
            _l("Plain text only: remove the HTML “%(tag)s”.", tag=tag.group(0)[:40])
        )
    entity = _ENTITY.search(text)
    if entity:
        raise ValidationFailed(
            _l("Plain text only: type the character itself instead of “%(code)s”.",
               code=entity.group(0))
        )
    if len(text) > limit:
        raise ValidationFailed(
            _l("At most %(max)d characters (now %(num)d).", max=limit, num=len(text))
        )
    return text


def summary_of(html: str | None, limit: int = SHOWN_DESCRIPTION) -> str:
    """The first words of a description as plain text, cut at a word before `limit`."""
    # Markup only to strip tags (and entities) of our own sanitised HTML; the result is then
    # escaped as text. Tags become spaces first, so "</p><p>" does not glue sentences.
    html = re.sub(r"<[^>]*>", " ", html or "")
    text = " ".join(Markup(html).striptags().split())  # noqa: S704
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def own_title(product, lang: str) -> str | None:
    """Staff's search-engine title of the product in `lang`, None when they gave none (the
    page then shows the name, as before)."""
    return getattr(product, f"meta_title_{lang}", None) or None


def page_description(product, lang: str, summary: str) -> str:
    """The product page's meta description in `lang`: staff's own, else the summary of the
    description (else the name)."""
    return getattr(product, f"meta_description_{lang}", None) or summary or product.name
