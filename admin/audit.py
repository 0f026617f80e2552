"""The audit log: read-only, for admins only.

Entries store plain codes ("update", "ProductVariant"), so the search and filters keep
working in any language; the list shows them in the reader's words.
"""

import json

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from admin.base import ADMIN, StaffModelView

ACTION_LABELS = {
    "create": _l("Record created"),
    "update": _l("Record changed"),
    "delete": _l("Record deleted"),
    "activate": _l("Activated"),
    "deactivate": _l("Deactivated"),
    "status": _l("Status changed"),
    "note": _l("Staff note"),
    "refund": _l("Refund"),
    "export": _l("Export"),
    "import": _l("Import"),
    "stock": _l("Stock adjusted"),
    "roles": _l("Roles changed"),
    "invite": _l("Invitation sent"),
}
OBJECT_LABELS = {
    "Product": _l("Product"),
    "ProductVariant": _l("Variant"),
    "ProductImage": _l("Image"),
    "Category": _l("Category"),
    "Order": _l("Order"),
    "Payment": _l("Payment"),
    "User": _l("User account"),
    "Role": _l("Role"),
    "DeliveryMethod": _l("Delivery method"),
}


def _label(labels):
    def formatter(view, context, model, name):
        code = getattr(model, name)
        return labels.get(code, code)

    return formatter


def _json_formatter(view, context, model, name):
    raw = getattr(model, name)
    if not raw:
        return ""
    try:
        pretty = json.dumps(json.loads(raw), ensure_ascii=False, indent=1, sort_keys=True)
    except ValueError:
        pretty = raw
    return Markup('<pre class="audit-json">{}</pre>').format(pretty)


class AuditLogView(StaffModelView):
    allowed_roles = ADMIN
    allow_create = False
    allow_edit = False
    allow_delete = False
    can_view_details = True
    column_list = (
        "created_at",
        "actor_email",
        "action",
        "object_type",
        "object_id",
        "before",
        "after",
    )
    column_labels = {
        "created_at": _l("When"),
        "actor_email": _l("Who"),
        "action": _l("Action"),
        "object_type": _l("Object"),
        "object_id": _l("ID"),
        "before": _l("Before"),
        "after": _l("After"),
        "ip": _l("IP address"),
    }
    column_formatters = {
        "before": _json_formatter,
        "after": _json_formatter,
        "action": _label(ACTION_LABELS),
        "object_type": _label(OBJECT_LABELS),
    }
    column_formatters_detail = column_formatters
    column_searchable_list = ("actor_email", "object_type", "object_id", "action")
    column_filters = ("action", "object_type", "actor_email", "created_at")
    column_sortable_list = ("created_at", "actor_email", "action", "object_type")
    column_default_sort = ("id", True)
