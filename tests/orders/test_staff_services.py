"""Order services for the back office (shop.orders.services): the staff note, kept on the order
and written to its timeline and the audit log, and the CSV export that records itself."""

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.core.errors import NotFound, ValidationFailed
from shop.extensions import db as _db
from shop.orders.models import EventKind, Order, OrderEvent
from shop.orders.services import STAFF_NOTE_MAX, export_orders_csv, save_staff_note
from tests.admin.orders_data import build_order
from tests.factories import DeliveryMethodFactory, UserFactory, VariantFactory


def an_order(status="processing", **kwargs):
    order = build_order(VariantFactory(), DeliveryMethodFactory(), status, **kwargs)
    _db.session.add(order)
    _db.session.commit()
    return order


def notes(order_id):
    return _db.session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order_id, OrderEvent.kind == "note")
    ).all()


def test_a_note_is_kept_on_the_order_in_its_timeline_and_in_the_audit_log(db):
    order = an_order()
    clerk = UserFactory(email="clerk@example.com")
    save_staff_note(order.id, "  хрупкое  ", actor=clerk, ip="10.2.2.2")
    db.session.expire_all()
    assert db.session.get(Order, order.id).staff_note == "хрупкое"
    (event,) = notes(order.id)
    assert (event.kind, event.note, event.actor_id) == (EventKind.NOTE, "хрупкое", clerk.id)
    assert event.from_status == event.to_status == "processing"  # a note moves nothing
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.object_id, entry.actor_email, entry.ip) == (
        "note", str(order.id), "clerk@example.com", "10.2.2.2"
    )
    assert json.loads(entry.before) == {"staff_note": None}
    assert json.loads(entry.after) == {"staff_note": "хрупкое"}


def test_the_same_note_again_writes_nothing_and_an_empty_one_removes_it(db):
    order = an_order()
    save_staff_note(order.id, "звонить")
    save_staff_note(order.id, "звонить ")
    assert len(notes(order.id)) == 1
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1
    save_staff_note(order.id, "   ")
    db.session.expire_all()
    assert db.session.get(Order, order.id).staff_note is None
    assert len(notes(order.id)) == 1  # the timeline keeps what was said; removal is audited
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 2


@pytest.mark.parametrize("text", ["x" * (STAFF_NOTE_MAX + 1), "a\x00b"])
def test_a_bad_note_is_refused_and_nothing_is_written(db, text):
    order = an_order()
    with pytest.raises(ValidationFailed):
        save_staff_note(order.id, text)
    db.session.expire_all()
    assert db.session.get(Order, order.id).staff_note is None
    assert notes(order.id) == []
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


@pytest.mark.parametrize("order_id", [999_999, "abc", None])
def test_a_note_for_no_order_is_not_found(db, order_id):
    with pytest.raises(NotFound):
        save_staff_note(order_id, "x")


def test_the_export_lists_the_orders_given_and_records_how_many(db, app):
    first, second = an_order(number="L-EXP1"), an_order(number="L-EXP2", customer_name="=1+1")
    manager = UserFactory(email="boss@example.com")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        body = export_orders_csv([first, second], actor=manager, ip="10.3.3.3")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Number", "Date"] and len(rows) == 3
    assert [row[0] for row in rows[1:]] == ["L-EXP1", "L-EXP2"]
    assert rows[2][3] == "'=1+1"  # a formula stays text in a spreadsheet
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.object_type, entry.actor_email, entry.ip) == (
        "export", "Order", "boss@example.com", "10.3.3.3"
    )
    assert json.loads(entry.after) == {"rows": 2}
