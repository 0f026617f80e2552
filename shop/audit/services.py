"""Recording what staff do in the back office: who, when, what, and the values before and after.

`snapshot` turns a model into plain JSON-able values (secrets left out), `record` adds an
AuditEntry to the caller's session. Neither commits: the entry belongs to the same transaction as
the change it describes, so a rolled-back change leaves no entry behind.
"""

import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import inspect, update

from shop.audit import reading
from shop.audit.models import AuditEntry
from shop.extensions import db

# Never copied into the audit log, whatever model they appear on.
SECRET_FIELDS = frozenset(
    {
        "password",
        "tf_totp_secret",
        "tf_recovery_codes",
        "mf_recovery_codes",
        "fs_uniquifier",
        "fs_token_uniquifier",
        "fs_webauthn_user_handle",
        "us_totp_secrets",
        "access_token",
        "idempotency_key",
    }
)
# Kept out of entries too: not secret, but nothing a person reads (search columns, the row's
# own timestamps, summaries recomputed from the variants, the two-factor replay counter).
INTERNAL_FIELDS = frozenset(
    {
        "search_text",
        "search_vector",
        "updated_at",
        "min_price",
        "in_stock",
        "tf_totp_last_counter",
    }
)
NOT_RECORDED = SECRET_FIELDS | INTERNAL_FIELDS


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def snapshot(obj) -> dict:
    """The column values of `obj` as a dict of JSON-able values, without secrets."""
    if obj is None:
        return {}
    state = inspect(obj)
    data = {}
    for attr in state.mapper.column_attrs:
        if attr.key in NOT_RECORDED:
            continue
        value = getattr(obj, attr.key)
        scale = getattr(attr.columns[0].type, "scale", None)
        if isinstance(value, Decimal) and scale is not None:
            # As the database will store it: a form's "99" is 99.00 once saved.
            value = value.quantize(Decimal(1).scaleb(-scale))
        data[attr.key] = _plain(value)
    return data


def changed_only(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the keys whose value differs, so an entry shows what actually changed.

    Internal fields (`updated_at`: the entry's own time says when) are left out.
    """
    keys = sorted((set(before) | set(after)) - NOT_RECORDED)
    diff = [k for k in keys if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in diff}, {k: after.get(k) for k in diff}


def _dump(value):
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    action: str,
    object_type: str,
    object_id=None,
    *,
    before=None,
    after=None,
    actor=None,
    ip: str | None = None,
    session=None,
) -> AuditEntry | None:
    """Add one AuditEntry to `session` (the app's by default) without committing.

    An update in which nothing a person is shown changed (shop.audit.reading's fields: a save
    that only touched a search column or a timestamp) writes no entry and returns None.
    """
    if action == "update" and not reading.has_visible_change(object_type, before, after):
        return None
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", None),
        action=action[:40],
        object_type=object_type[:60],
        object_id=None if object_id is None else str(object_id)[:64],
        before=_dump(before),
        after=_dump(after),
        ip=(ip or None) and ip[:64],
    )
    (session or db.session).add(entry)
    return entry


def switch_active(obj, active: bool, *, actor=None, ip: str | None = None) -> bool:
    """Set `obj.active`, with an "activate" or "deactivate" entry when it changes (no commit).

    Returns whether it changed. The object's type names the entry (User, Product...).
    """
    if obj.active == active:
        return False
    record(
        "activate" if active else "deactivate",
        type(obj).__name__,
        obj.id,
        before={"active": obj.active},
        after={"active": active},
        actor=actor,
        ip=ip,
    )
    obj.active = active
    return True


def forget_values(object_type: str, object_id) -> None:
    """Blank the before/after values of every entry about one object (no commit): who did what
    to it, and when, stay; what it held goes. For erasing a person (152-FZ): their name, email,
    phone and the staff notes about them were written into these entries."""
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == str(object_id))
        .values(before=None, after=None)
    )
