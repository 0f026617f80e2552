"""Delivering the outbox: `python manage.py mail send` (one pass) and `mail worker` (a loop).

Each message is claimed with a guarded update (pending -> sending, only if still pending), so two
workers never both send it; it is marked sent right after the mail server accepted it. When the
server is down the message goes back to pending with a later `next_attempt_at` (exponential
backoff) and is tried again; after OUTBOX_MAX_ATTEMPTS it is marked failed for a person to look
at. A worker killed between "accepted by the server" and "marked sent" leaves the message in
`sending`: it is never re-sent automatically (at most once); `mail send` reports it and
`mail requeue --stuck-minutes N` puts it back when a person decides to.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from shop.core.models import utcnow
from shop.extensions import db
from shop.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed ones: base * 2^(attempts-1), capped."""
    base = int(current_app.config.get("OUTBOX_BACKOFF_SECONDS", 60))
    delay = timedelta(seconds=base * 2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


def _claim(message_id: int) -> bool:
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        # next_attempt_at doubles as "claimed at" while the message is being sent
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=utcnow(),
        )
    )
    db.session.commit()
    return result.rowcount == 1


def _build(message: OutboxMessage, connection):
    from flask_mailman import EmailMultiAlternatives

    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=current_app.config.get("MAIL_DEFAULT_SENDER"),
        to=[message.recipient],
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def send_due(connection=None, limit: int | None = None) -> SendReport:
    """Send the messages that are due now; one commit per message.

    `connection` is a Flask-Mailman backend (tests pass one that points at a dead server);
    by default the app's MAIL_BACKEND is used.
    """
    report = SendReport()
    limit = limit or int(current_app.config.get("OUTBOX_BATCH_SIZE", 50))
    max_attempts = int(current_app.config.get("OUTBOX_MAX_ATTEMPTS", 8))
    due_ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= utcnow()
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    db.session.commit()
    if not due_ids:
        return report
    if connection is None:
        connection = current_app.extensions["mailman"].get_connection(fail_silently=False)
    for message_id in due_ids:
        if not _claim(message_id):
            continue  # another worker took it
        message = db.session.get(OutboxMessage, message_id)
        try:
            _build(message, connection).send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - any transport error means "try later"
            db.session.rollback()
            message = db.session.get(OutboxMessage, message_id)
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= max_attempts:
                message.status = OutboxStatus.FAILED
                report.failed.append(message_id)
                log.error("outbox %s failed for good: %s", message_id, message.last_error)
            else:
                message.status = OutboxStatus.PENDING
                message.next_attempt_at = utcnow() + backoff(message.attempts)
                report.retrying.append(message_id)
                log.warning(
                    "outbox %s not sent, retrying later: %s", message_id, message.last_error
                )
            db.session.commit()
            continue
        message.status = OutboxStatus.SENT
        message.sent_at = utcnow()
        message.last_error = None
        db.session.commit()
        report.sent.append(message_id)
    return report


def stuck_count() -> int:
    """Messages left in `sending` (a worker died mid-send): shown to the operator, not re-sent."""
    from sqlalchemy import func

    return (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.SENDING)
        )
        or 0
    )


def requeue(*, failed: bool = False, stuck_minutes: int | None = None) -> int:
    """Put messages back in the queue, by an operator's decision; returns how many.

    `failed`: those that ran out of attempts (after the mail server was fixed).
    `stuck_minutes`: those left in `sending` longer than that by a worker that died; one of
    them may already have reached its recipient, which is why this never happens on its own.
    """
    count = 0
    if failed:
        count += db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.FAILED)
            .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow())
        ).rowcount
    if stuck_minutes is not None:
        cutoff = utcnow() - timedelta(minutes=stuck_minutes)
        count += db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.next_attempt_at < cutoff,
            )
            .values(status=OutboxStatus.PENDING, next_attempt_at=utcnow())
        ).rowcount
    db.session.commit()
    return count


def run_worker(interval: float, stop_after: int | None = None) -> None:
    """Send due mail every `interval` seconds until interrupted (or `stop_after` passes)."""
    passes = 0
    while stop_after is None or passes < stop_after:
        try:
            report = send_due()
            if report.sent or report.retrying or report.failed:
                log.info(
                    "outbox: %d sent, %d to retry, %d failed",
                    len(report.sent),
                    len(report.retrying),
                    len(report.failed),
                )
        except Exception:  # noqa: BLE001 - a database hiccup must not end the worker
            db.session.rollback()
            log.exception("outbox pass failed")
        finally:
            db.session.remove()
        passes += 1
        if stop_after is None or passes < stop_after:
            time.sleep(interval)
