"""Reads of the audit log for its page: which entries a person is shown, who appears in it.

Older versions wrote an update entry for every save, even one that changed nothing a person
reads (`{} → {}`, or only a search column). Those rows stay in the table (the log is never
rewritten) but the page leaves them out: an update is shown only when its JSON names one of the
fields shop.audit.reading shows. Entries are dumped by `json.dumps` with sorted keys, so a
field appears as `"name": ` and a text match on that is exact enough for the log's page.
"""

from sqlalchemy import and_, or_, select

from shop.audit.models import AuditEntry
from shop.audit.reading import all_visible_fields
from shop.extensions import db


def shown_condition():
    """SQL condition: the entry is not an update without any field a person is shown."""
    names = sorted(all_visible_fields())
    mentions = [
        column.contains(f'"{name}": ', autoescape=True)
        for column in (AuditEntry.before, AuditEntry.after)
        for name in names
    ]
    return or_(AuditEntry.action != "update", and_(or_(*mentions)))


def actors() -> list[str]:
    """The e-mail addresses of everyone who appears in the log, sorted."""
    rows = db.session.scalars(
        select(AuditEntry.actor_email)
        .where(AuditEntry.actor_email.is_not(None))
        .distinct()
        .order_by(AuditEntry.actor_email)
    )
    return list(rows)
