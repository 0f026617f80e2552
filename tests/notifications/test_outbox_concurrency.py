"""Two senders at once (two uWSGI mules, two nodes) never send the same email twice."""

import threading

import pytest

from shop.notifications.models import OutboxMessage, OutboxStatus
from shop.notifications.outbox import queue_email
from shop.notifications.sender import send_due

pytestmark = pytest.mark.postgres


def test_parallel_senders_send_each_message_once(app, db, outbox):
    with app.test_request_context():
        for i in range(30):
            queue_email(f"user{i}@example.com", "account/change_notice", "ru", user=None)
        db.session.commit()
    start = threading.Barrier(3)
    reports, errors = [], []

    def worker():
        try:
            with app.app_context():
                start.wait()
                reports.append(send_due())
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sent = sorted(i for report in reports for i in report.sent)
    assert len(sent) == len(set(sent)) == 30
    assert sorted(m.to[0] for m in outbox) == sorted(f"user{i}@example.com" for i in range(30))
    db.session.expire_all()
    assert {m.status for m in db.session.query(OutboxMessage)} == {OutboxStatus.SENT}
