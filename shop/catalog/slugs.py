"""Slugs for URLs: Cyrillic names are transliterated ("Кроссовки" -> "krossovki")."""

from slugify import slugify

MAX_LENGTH = 150


def make_slug(text: str) -> str:
    return slugify(text or "", max_length=MAX_LENGTH, word_boundary=True)


def unique_slug(base: str, taken) -> str:
    """`base`, or `base-2`, `base-3`... whichever is not in `taken`."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
