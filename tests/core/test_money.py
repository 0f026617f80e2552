"""Money: Decimal in, Babel-formatted text out, in the reader's language."""

from decimal import Decimal

import pytest
from flask_babel import force_locale

from shop.core.errors import ValidationFailed
from shop.core.money import format_money, to_money


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(("locale", "expected"), [("ru", "1 234,50 ₽"), ("en", "₽1,234.50")])
def test_format_money_by_locale(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert plain(format_money(Decimal("1234.5"))) == expected


def test_negative_amounts_keep_their_sign(app):
    with app.test_request_context(), force_locale("en"):
        assert plain(format_money(Decimal("-5"))) == "-₽5.00"


def test_to_money_rounds_half_up_and_refuses_floats_and_junk():
    assert to_money("10.005") == Decimal("10.01")
    assert to_money(3) == Decimal("3.00")
    with pytest.raises(TypeError):
        to_money(1.5)
    for junk in ("abc", "NaN", "Infinity", ""):
        with pytest.raises(ValidationFailed):
            to_money(junk)
