"""Reads of the audit log for its page: which entries a person is shown, who appears in it.

Older versions wrote an update entry for every save, even one that changed nothing a person
reads (`{} → {}`, or only a search column). Those rows stay in the table (the log is never
rewritten) but the page leaves them out: an update is shown only when its JSON names one of the
fields shop.audit.reading shows. Entries are dumped by `json.dumps` with sorted keys, so a
field appears as `"name": ` and a text match on that is exact enough for the log's page.
"""

from sqlalchemy import and_, or_, select

from shop.audit.models import AuditEntry
from shop.audit.reading import COMMON_LABELS, FIELD_LABELS, visible_fields
from shop.extensions import db


def _mentions(names):
    return or_(
        *(
            column.contains(f'"{name}": ', autoescape=True)
            for name in sorted(names)
            for column in (AuditEntry.before, AuditEntry.after)
        )
    )


def shown_condition():
    """SQL condition: the entry is not an update without any field a person is shown.

    Each model is matched against its own fields only (the type test comes first, so a row is
    compared with a dozen names, not every label's).
    """
    per_model = [
        and_(AuditEntry.object_type == object_type, _mentions(visible_fields(object_type)))
        for object_type in sorted(FIELD_LABELS)
    ]
    others = and_(AuditEntry.object_type.not_in(sorted(FIELD_LABELS)), _mentions(COMMON_LABELS))
    return or_(AuditEntry.action != "update", *per_model, others)


def actors() -> list[str]:
    """The e-mail addresses of everyone who appears in the log, sorted."""
    rows = db.session.scalars(
        select(AuditEntry.actor_email)
        .where(AuditEntry.actor_email.is_not(None))
        .distinct()
        .order_by(AuditEntry.actor_email)
    )
    return list(rows)
