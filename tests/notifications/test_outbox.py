"""The outbox: written in the same transaction, in the recipient's language, sent exactly once."""

import socket

from shop.extensions import db
from shop.notifications.models import OutboxMessage, OutboxStatus
from shop.notifications.outbox import queue_email
from shop.notifications.sender import send_due


def _queue(app, recipient="a@example.com", locale="ru"):
    with app.test_request_context():
        message = queue_email(recipient, "account/change_notice", locale, user=None)
        db.session.commit()
        return message.id


def _dead_smtp(app):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return app.extensions["mailman"].get_connection(
        backend="smtp", host="127.0.0.1", port=port, timeout=2, fail_silently=False
    )


def test_mail_is_rendered_in_the_recipients_language(app, db):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        ru = queue_email("a@example.com", "account/change_notice", "ru", user=None)
        en = queue_email("b@example.com", "account/change_notice", "en", user=None)
        db.session.commit()
    assert "Ваш пароль изменён" in ru.subject and "Your password has been changed" in en.subject


def test_rolled_back_change_leaves_no_mail(app, db):
    with app.test_request_context():
        queue_email("a@example.com", "account/change_notice", "ru", user=None)
        db.session.rollback()
    assert db.session.query(OutboxMessage).count() == 0


def test_smtp_down_then_up_sends_each_mail_exactly_once(app, db, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_BACKOFF_SECONDS", 0)
    ids = [_queue(app, f"user{i}@example.com") for i in range(3)]
    report = send_due(connection=_dead_smtp(app))
    assert report.retrying == ids and not report.sent
    assert outbox == []
    db.session.expire_all()
    rows = db.session.query(OutboxMessage).order_by(OutboxMessage.id).all()
    assert all(r.status == OutboxStatus.PENDING and r.attempts == 1 and r.last_error for r in rows)
    # the server is back
    report = send_due()
    assert report.sent == ids
    assert sorted(m.to[0] for m in outbox) == [f"user{i}@example.com" for i in range(3)]
    # nothing left to send: another pass sends nothing twice
    assert send_due().sent == []
    assert len(outbox) == 3
    db.session.expire_all()
    assert all(r.status == OutboxStatus.SENT and r.sent_at for r in db.session.query(OutboxMessage))


def test_backoff_waits_before_the_next_try(app, db, outbox):
    message_id = _queue(app)
    send_due(connection=_dead_smtp(app))
    # the retry is due only later (60 s, then doubling): an immediate pass does not send it
    assert send_due().sent == []
    assert outbox == []
    db.session.expire_all()
    row = db.session.get(OutboxMessage, message_id)
    assert row.next_attempt_at > row.created_at


def test_gives_up_after_max_attempts(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_BACKOFF_SECONDS", 0)
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 2)
    message_id = _queue(app)
    send_due(connection=_dead_smtp(app))
    report = send_due(connection=_dead_smtp(app))
    assert report.failed == [message_id]
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message_id).status == OutboxStatus.FAILED


def test_a_message_claimed_by_another_worker_is_not_sent_again(app, db, outbox):
    message_id = _queue(app)
    db.session.get(OutboxMessage, message_id).status = OutboxStatus.SENDING
    db.session.commit()
    assert send_due().sent == []
    assert outbox == []


def test_cli_mail_send(app, db, outbox):
    _queue(app, "cli@example.com")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert [m.to[0] for m in outbox] == ["cli@example.com"]
    result = runner.invoke(args=["mail", "worker", "--interval", "0.1", "--passes", "1"])
    assert result.exit_code == 0, result.output
    assert len(outbox) == 1
    assert runner.invoke(args=["mail", "worker", "--interval", "-1"]).exit_code != 0


def test_requeue_failed_and_stuck(app, db, outbox, monkeypatch):
    from datetime import timedelta

    from shop.core.models import utcnow

    failed_id, stuck_id, fresh_id = (_queue(app, f"{n}@example.com") for n in ("f", "s", "n"))
    db.session.get(OutboxMessage, failed_id).status = OutboxStatus.FAILED
    stuck = db.session.get(OutboxMessage, stuck_id)
    stuck.status = OutboxStatus.SENDING
    stuck.next_attempt_at = utcnow() - timedelta(hours=2)
    fresh = db.session.get(OutboxMessage, fresh_id)
    fresh.status = OutboxStatus.SENDING  # being sent right now by another worker
    db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["mail", "requeue"]).exit_code != 0
    result = runner.invoke(args=["mail", "requeue", "--failed", "--stuck-minutes", "30"])
    assert result.exit_code == 0 and "Requeued 2" in result.output
    assert sorted(send_due().sent) == sorted([failed_id, stuck_id])
    assert sorted(m.to[0] for m in outbox) == ["f@example.com", "s@example.com"]
