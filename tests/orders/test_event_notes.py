"""The shop's own order-event notes (stored as fixed English codes) read in the reader's
language through OrderEvent.note_label / the `order_event_note` filter; staff text is kept."""

import pytest
from flask import render_template_string
from flask_babel import force_locale

from shop.orders.models import event_note_label


@pytest.mark.parametrize("note,ru,en", [
    ("placed", "Заказ оформлен", "Order placed"),
    ("paid: card", "Оплачен: Банковская карта", "Paid: Bank card"),
    ("cancelled by the customer", "Отменён покупателем", "Cancelled by the customer"),
    ("unpaid in time: expired", "Не оплачен картой вовремя: отменён автоматически",
     "Not paid by card in time: cancelled automatically"),
])
def test_system_notes_are_translated(app, note, ru, en):
    with app.test_request_context():
        with force_locale("ru"):
            assert event_note_label(note) == ru
        with force_locale("en"):
            assert event_note_label(note) == en


def test_late_payment_note_keeps_amount_and_reference(app):
    from shop.payments.services import LATE_PAYMENT_NOTE

    note = LATE_PAYMENT_NOTE.format(status="cancelled") + " (1280.00 RUB, card abc123)"
    with app.test_request_context():
        with force_locale("en"):
            text = event_note_label(note)
            assert text.startswith("Late payment:") and "Cancelled" in text
            assert text.endswith("(1280.00 RUB, card abc123)")
        with force_locale("ru"):
            assert "Отменён" in event_note_label(note) and "abc123" in event_note_label(note)


def test_staff_text_and_the_filter(app):
    with app.test_request_context():
        assert event_note_label("Позвонили клиенту") == "Позвонили клиенту"
        assert event_note_label(None) == ""
        with force_locale("en"):
            rendered = render_template_string("{{ 'placed'|order_event_note }}")
        assert rendered == "Order placed"
