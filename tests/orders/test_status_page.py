"""The shopper's order status (issue 18.5): a coloured badge per family of statuses, the same on
"My orders", the order's page and the confirmation, with AA contrast; and the order page's status
timeline built from the order's events, its dates in the reader's language and time zone, staff's
words never shown."""

import re
from datetime import datetime
from pathlib import Path

import pytest

from shop.extensions import db as _db
from shop.orders.models import EventKind, OrderEvent, OrderStatus
from tests.checkout.helpers import place
from tests.checkout.test_views import login
from tests.factories import UserFactory

CSS = Path(__file__).resolve().parents[2] / "shop" / "static" / "css" / "shop.css"
FAMILIES = {
    "new": "info",
    "paid": "primary",
    "processing": "primary",
    "shipped": "shipped",
    "delivered": "success",
    "cancelled": "muted",
    "refunded": "warning",
    "partly_refunded": "warning",
}
LABELS = {
    "ru": {"new": "Новый", "paid": "Оплачен", "processing": "В обработке",
           "shipped": "Отправлен", "delivered": "Доставлен", "cancelled": "Отменён",
           "refunded": "Возвращён", "partly_refunded": "Частично возвращён"},
    "en": {"new": "New", "paid": "Paid", "processing": "Processing", "shipped": "Shipped",
           "delivered": "Delivered", "cancelled": "Cancelled", "refunded": "Refunded",
           "partly_refunded": "Partly refunded"},
}
BADGE = re.compile(r'<span class="badge status-badge status-badge-(\w+)" data-status="(\w+)"'
                   r'(?: data-testid="order-status")?>([^<]*)</span>')


def test_every_status_has_a_family():
    assert set(FAMILIES) == {s.value for s in OrderStatus}


def _with_status(user, status):
    order = place(user_id=user.id)
    order.status = status
    _db.session.commit()
    return order


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_my_orders_shows_a_badge_per_status(client, db, lang):
    user = UserFactory()
    numbers = {status: _with_status(user, status).number for status in FAMILIES}
    login(client, user)
    body = client.get(f"/account/orders?lang={lang}").get_data(as_text=True)
    badges = {status: (family, text) for family, status, text in BADGE.findall(body)}
    assert badges == {s: (FAMILIES[s], LABELS[lang][s]) for s in FAMILIES}
    assert all(number in body for number in numbers.values())


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("status", ["shipped", "partly_refunded"])
def test_the_order_page_and_the_confirmation_show_the_same_badge(client, db, lang, status):
    user = UserFactory()
    order = _with_status(user, status)
    login(client, user)
    for url in (f"/account/orders/{order.number}", f"/orders/{order.number}/thanks"):
        body = client.get(f"{url}?lang={lang}").get_data(as_text=True)
        status_badge = (f'<span class="badge status-badge status-badge-{FAMILIES[status]}" '
                        f'data-status="{status}" data-testid="order-status">'
                        f"{LABELS[lang][status]}</span>")
        assert status_badge in body, url


def _luminance(hex_colour):
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one, other):
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_badge_colour_has_aa_contrast():
    rules = dict(re.findall(r"\.status-badge-(\w+) \{([^}]*)\}", CSS.read_text()))
    assert set(FAMILIES.values()) <= set(rules)
    for family in set(FAMILIES.values()):
        text = re.search(r"(?<![-\w])color: (#[0-9a-f]{6})", rules[family]).group(1)
        background = re.search(r"background-color: (#[0-9a-f]{6})", rules[family]).group(1)
        assert _contrast(text, background) >= 4.5, family


def _event(order, kind, to_status, when, from_status=None, note=None, data=None):
    _db.session.add(OrderEvent(order_id=order.id, kind=kind, from_status=from_status,
                               to_status=to_status, created_at=when, note=note, data=data))


def _shipped_card_order(user):
    """A card order placed on 1 March 2026, paid, prepared and shipped, with staff's notes."""
    order = place(user_id=user.id, payment="card")
    for event in list(order.events):
        _db.session.delete(event)
    order.created_at = datetime(2026, 3, 1, 9, 0)
    order.status = "shipped"
    _event(order, "placed", "new", datetime(2026, 3, 1, 9, 0))
    _event(order, "paid", "paid", datetime(2026, 3, 2, 10, 0), "new",
           data={"provider": "card", "amount": "1000.00", "currency": "RUB", "reference": "x1"})
    _event(order, "status_changed", "processing", datetime(2026, 3, 3, 11, 0), "paid",
           note="Клиент грубил по телефону")
    _event(order, EventKind.NOTE, "processing", datetime(2026, 3, 3, 12, 0), "processing",
           note="Staff only: fragile, check twice")
    _event(order, "status_changed", "shipped", datetime(2026, 3, 4, 12, 30), "processing")
    _db.session.commit()
    return order


def _timeline(body, hidden=True):
    """The timeline's steps as (state, the words read out), the visually hidden state left out
    when `hidden` is false."""
    timeline = re.search(r'<ol class="status-timeline[^>]*>(.*?)</ol>', body, re.S).group(1)
    steps = []
    for state, inner in re.findall(
        r'<li class="status-step status-step-(\w+)"[^>]*>(.*?)</li>', timeline, re.S
    ):
        if not hidden:
            inner = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", inner)
        steps.append((state, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inner)).strip()))
    return steps


@pytest.mark.parametrize(("lang", "steps"), [
    ("en", [
        ("done", "done: Order placed 1 Mar 2026, 12:00"),
        ("done", "done: Paid 2 Mar 2026, 13:00"),
        ("done", "done: Processing 3 Mar 2026, 14:00"),
        ("current", "current step: Shipped 4 Mar 2026, 15:30"),
        ("upcoming", "to come: Delivered"),
    ]),
    # (the state's words in Russian come with the catalogue: /tmp/i18n/account_orders.tsv)
    ("ru", [
        ("done", "Заказ оформлен 1 мар. 2026, 12:00"),
        ("done", "Оплачен 2 мар. 2026, 13:00"),
        ("done", "В обработке 3 мар. 2026, 14:00"),
        ("current", "Отправлен 4 мар. 2026, 15:30"),
        ("upcoming", "Доставлен"),
    ]),
])
def test_the_order_page_shows_its_timeline(client, db, lang, steps):
    user = UserFactory()
    order = _shipped_card_order(user)
    login(client, user)
    body = client.get(f"/account/orders/{order.number}?lang={lang}").get_data(as_text=True)
    assert _timeline(body, hidden=lang == "en") == steps
    assert body.count('aria-current="step"') == 1
    assert 'data-status="shipped" aria-current="step"' in body
    assert body.count('<span class="visually-hidden">') >= len(steps)
    for staff_words in ("Клиент грубил", "Staff only", "fragile"):
        assert staff_words not in body


def test_a_cash_order_has_no_paid_step_and_a_cancelled_one_ends_there(client, db):
    user = UserFactory()
    cash = place(user_id=user.id)
    login(client, user)
    body = client.get(f"/account/orders/{cash.number}?lang=en").get_data(as_text=True)
    steps = _timeline(body)
    assert [state for state, _text in steps] == ["current", "upcoming", "upcoming", "upcoming"]
    assert steps[0][1].startswith("current step: Order placed ")
    assert [text for _state, text in steps[1:]] == [
        "to come: Processing", "to come: Shipped", "to come: Delivered"]

    client.post(f"/account/orders/{cash.number}/cancel",
                data={"csrf_token": _csrf(client, cash.number)})
    body = client.get(f"/account/orders/{cash.number}?lang=en").get_data(as_text=True)
    steps = _timeline(body)
    assert [state for state, _text in steps] == ["done", "current"]
    assert steps[0][1].startswith("done: Order placed ")
    assert steps[1][1].startswith("current step: Cancelled ")
    assert "to come" not in body


def _csrf(client, number):
    page = client.get(f"/account/orders/{number}").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_refund_after_delivery_is_a_branch_of_its_own(client, db):
    user = UserFactory()
    order = place(user_id=user.id)
    order.status = "partly_refunded"
    for step, status in enumerate(("processing", "shipped", "delivered"), start=2):
        _event(order, "status_changed", status, datetime(2026, 3, step, 9, 0))
    _event(order, "refunded_part", "partly_refunded", datetime(2026, 3, 9, 9, 0), "delivered",
           note="Покупатель порвал упаковку", data={"amount": "10.00", "currency": "RUB"})
    _db.session.commit()
    login(client, user)
    body = client.get(f"/account/orders/{order.number}?lang=en").get_data(as_text=True)
    steps = _timeline(body)
    assert [state for state, _text in steps] == ["done"] * 4 + ["current"]
    assert steps[-1][1] == "current step: Partly refunded 9 Mar 2026, 12:00"
    assert "порвал" not in body
