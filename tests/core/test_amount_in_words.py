"""Amounts written out for invoices (shop.core.money.amount_in_words): roubles in words with
the right form, kopecks in figures, in the reader's language."""

import pytest

from shop.core.money import amount_in_words


@pytest.mark.parametrize(("amount", "words"), [
    ("4890.50", "Четыре тысячи восемьсот девяносто рублей 50 копеек"),
    ("1.01", "Один рубль 01 копейка"),
    ("22.02", "Двадцать два рубля 02 копейки"),
    ("11.11", "Одиннадцать рублей 11 копеек"),
    ("0.00", "Ноль рублей 00 копеек"),
    ("1000000", "Один миллион рублей 00 копеек"),
])
def test_russian(app, amount, words):
    with app.test_request_context("/?lang=ru"):
        assert amount_in_words(amount) == words


def test_english(app):
    with app.test_request_context("/?lang=en"):
        assert amount_in_words("21.01") == "Twenty-one roubles 01 kopeck"
        assert amount_in_words("1452") == (
            "One thousand, four hundred and fifty-two roubles 00 kopecks")


def test_other_currencies_keep_the_figures(app):
    with app.test_request_context("/?lang=en"):
        assert amount_in_words("12.50", "EUR") == "€12.50"
