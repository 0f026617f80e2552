"""Money is Decimal with two places, formatted by Babel for the reader's locale."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency, format_decimal, get_currency_symbol
from flask import current_app
from flask_babel import lazy_gettext as _l

from shop.core.errors import ValidationFailed
from shop.core.i18n import current_language

CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    """Turn a str/int/Decimal into a two-place Decimal; floats are refused on purpose."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_l("Not an amount of money.")) from exc
    if not amount.is_finite():
        raise ValidationFailed(_l("Not an amount of money."))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value, currency: str | None = None) -> str:
    """`1 234,50 ₽` in Russian, `₽1,234.50` in English (Babel's own English form is `RUB1,234.50`).

    The number is always formatted by Babel with the reader's locale pattern; only the English
    symbol is taken from the Russian locale data, where the rouble sign lives.
    """
    if value is None:
        return ""
    currency = currency or current_app.config.get("CURRENCY", "RUB")
    return _formatted(Decimal(value), currency, current_language())


@lru_cache(maxsize=4096)
def _formatted(amount: Decimal, currency: str, locale: str) -> str:
    """Babel's formatting is slow (tens of microseconds): a cart page shows ~30 amounts, and
    prices repeat across pages, so each (amount, currency, locale) is formatted once."""
    if locale == "en":
        symbol = get_currency_symbol(currency, locale="ru")
        if symbol != currency:
            sign = "-" if amount < 0 else ""
            return f"{sign}{symbol}{format_decimal(abs(amount), format='#,##0.00', locale=locale)}"
    return format_currency(amount, currency, locale=locale)


def amount_in_words(value, currency: str = "RUB") -> str:
    """The amount as an invoice writes it out under the figures, in the reader's language:
    "Четыре тысячи восемьсот девяносто рублей 50 копеек", "Four thousand, eight hundred and
    ninety roubles 50 kopecks". Roubles in words (num2words), kopecks in figures, as Russian
    accounting documents do. Other currencies than roubles: the figures alone."""
    from num2words import num2words

    amount = to_money(value)
    if currency != "RUB" or amount < 0:
        return format_money(amount, currency)
    lang = current_language()
    roubles = int(amount)
    kopecks = int((amount - roubles) * 100)
    words = num2words(Decimal(roubles), lang=lang, to="currency", currency="RUB")
    words = words.rsplit(", ", 1)[0]  # drop num2words' own ", ноль копеек"
    unit = _KOPECKS[lang][Locale.parse(lang).plural_form(kopecks)]
    return f"{words[:1].upper()}{words[1:]} {kopecks:02d} {unit}"


# The word after the kopecks' figures, by the language's plural category (Babel's CLDR rules).
_KOPECKS = {
    "ru": {"one": "копейка", "few": "копейки", "many": "копеек", "other": "копейки"},
    "en": {"one": "kopeck", "other": "kopecks"},
}
