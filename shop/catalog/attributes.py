"""Variant attributes as shoppers read them: colours are stored in Russian, shown translated."""

from flask_babel import lazy_gettext as _l

from shop.core.i18n import current_language

# Stored values (what staff type in the back office) -> translatable names.
_COLOURS = {
    "чёрный": _l("black"),
    "черный": _l("black"),
    "белый": _l("white"),
    "синий": _l("blue"),
    "голубой": _l("light blue"),
    "красный": _l("red"),
    "зелёный": _l("green"),
    "зеленый": _l("green"),
    "серый": _l("grey"),
    "бежевый": _l("beige"),
    "коричневый": _l("brown"),
    "жёлтый": _l("yellow"),
    "желтый": _l("yellow"),
    "розовый": _l("pink"),
    "фиолетовый": _l("purple"),
    "оранжевый": _l("orange"),
}


def colour_label(value: str | None) -> str:
    if not value:
        return ""
    name = _COLOURS.get(value.strip().lower())
    if name is None or current_language() == "ru":
        return value
    return str(name)


def variant_label(variant) -> str:
    """Size and colour in the reader's language ("M / red"); empty for a simple product."""
    return " / ".join(p for p in (variant.size, colour_label(variant.colour)) if p)
