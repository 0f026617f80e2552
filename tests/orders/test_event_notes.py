"""The shop's own order events (a kind and its data, issue 15) read in the reader's language
through OrderEvent.note_label; staff text is kept as typed."""

import pytest
from flask import render_template_string
from flask_babel import force_locale

from shop.orders.models import EventKind, OrderEvent, payment_data


def event(kind, data=None, note=None, status="new"):
    return OrderEvent(from_status=status, to_status=status, kind=kind, data=data, note=note)


@pytest.mark.parametrize("kind,data,ru,en", [
    ("placed", None, "Заказ оформлен", "Order placed"),
    ("paid", {"provider": "card"}, "Оплачен: Банковская карта", "Paid: Bank card"),
    ("cancelled_by_customer", None, "Отменён покупателем", "Cancelled by the customer"),
    ("expired", None, "Не оплачен картой вовремя: отменён автоматически",
     "Not paid by card in time: cancelled automatically"),
])
def test_system_notes_are_translated(app, kind, data, ru, en):
    with app.test_request_context():
        with force_locale("ru"):
            assert event(kind, data).note_label == ru
        with force_locale("en"):
            assert event(kind, data).note_label == en


def test_late_payment_note_keeps_amount_and_reference(app):
    late = event(EventKind.LATE_PAYMENT, payment_data("card", "1280.00", "RUB", "abc123"),
                 status="cancelled")
    with app.test_request_context():
        with force_locale("en"):
            text = late.note_label
            assert text.startswith("Late payment:") and "Cancelled" in text
            assert text.endswith("(1280.00 RUB, card abc123)")
        with force_locale("ru"):
            assert "Отменён" in late.note_label and "abc123" in late.note_label


def test_staff_text_and_the_filter(app):
    with app.test_request_context():
        assert event("status_changed", note="Позвонили клиенту").note_label == "Позвонили клиенту"
        assert event("status_changed").note_label == ""
        with force_locale("en"):
            rendered = render_template_string("{{ e.note_label }}", e=event("placed"))
        assert rendered == "Order placed"
