"""The audit log: read-only, for admins only.

Entries store plain codes ("update", "ProductVariant", "price": "99.00"), so the search and
filters keep working in any language; the list shows them in the reader's words: each change as
"label: before → after" (shop.audit.reading), internal fields hidden, and updates that changed
nothing a person reads left out (shop.audit.queries). Filters: who, object, action, and the
shop-local dates from and to.
"""

from datetime import date, timedelta

from flask import has_app_context
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from admin.base import ADMIN, StaffModelView
from shop.audit.models import AuditEntry
from shop.audit.queries import actors, shown_condition
from shop.audit.reading import changes
from shop.reports.periods import day_start_utc

ACTION_LABELS = {
    "create": _l("Record created"),
    "update": _l("Record changed"),
    "delete": _l("Record deleted"),
    "activate": _l("Activated"),
    "deactivate": _l("Deactivated"),
    "status": _l("Status changed"),
    "note": _l("Staff note"),
    "refund": _l("Refund"),
    "publish": _l("Published"),
    "erase": _l("Personal data erased"),
    "export": _l("Export"),
    "import": _l("Import"),
    "stock": _l("Stock adjusted"),
    "roles": _l("Roles changed"),
    "invite": _l("Invitation sent"),
    "edit": _l("Order changed"),  # shop.orders.editing
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
    "Report": _l("Report"),
    "ReturnRequest": _l("Return"),
    "LegalVersion": _l("Legal document"),
}


def _label(labels):
    def formatter(view, context, model, name):
        code = getattr(model, name)
        return labels.get(code, code)

    return formatter


def _changes_formatter(view, context, model, name):
    """Each change on its own line: "Price: 100,00 ₽ → 120,00 ₽" (only "after" for a creation,
    only "before" for a deletion)."""
    rows = changes(model)
    if not rows:
        if model.action != "update":
            return ""
        # an older entry whose only changes are hidden ones (a variant's timestamp)
        return Markup('<span class="text-muted">{}</span>').format(
            _("Nothing a person reads changed.")
        )
    items = []
    for change in rows:
        if change.before is not None and change.after is not None:
            value = Markup('{} <span aria-label="{}">→</span> {}').format(
                change.before, _("changed to"), change.after
            )
        else:
            value = change.after if change.after is not None else change.before
        items.append(
            Markup('<li><span class="audit-field">{}:</span> {}</li>').format(change.label, value)
        )
    return Markup('<ul class="list-unstyled mb-0 audit-changes">{}</ul>').format(
        Markup("").join(items)
    )


class _ChoiceFilter(BaseSQLAFilter):
    """Equals one of a fixed list of codes, offered by their labels."""

    def operation(self):
        return _l("equals")

    def validate(self, value):
        return any(str(key) == value for key, _label in self.get_options(None) or ())

    def apply(self, query, value, alias=None):
        return query.filter(self.column == value)


class ActorFilter(_ChoiceFilter):
    def __init__(self):
        super().__init__(AuditEntry.actor_email, _l("Who"), options=self.people)

    @staticmethod
    def people():
        """The people who appear in the log (none while Flask-Admin builds the view, outside
        any request: AuditLogView reads them again for every list it shows)."""
        if not has_app_context():
            return []
        return [(email, email) for email in actors()]


class LabelledFilter(_ChoiceFilter):
    def __init__(self, column, name, labels):
        super().__init__(column, name, options=lambda: list(labels.items()))


class DayFilter(BaseSQLAFilter):
    """A shop-local date (YYYY-MM-DD): entries from that day on, or up to that day's end."""

    def __init__(self, until: bool):
        # Flask-Admin's own (local) date picker; it writes YYYY-MM-DD, which `clean` reads
        super().__init__(AuditEntry.created_at, _l("Date"), data_type="datepicker")
        self.until = until

    def operation(self):
        return _l("to") if self.until else _l("from")

    def validate(self, value):
        try:
            date.fromisoformat(value.strip())
        except ValueError:
            return False
        return True

    def clean(self, value):
        return date.fromisoformat(value.strip())

    def apply(self, query, value, alias=None):
        if self.until:
            return query.filter(AuditEntry.created_at < day_start_utc(value + timedelta(days=1)))
        return query.filter(AuditEntry.created_at >= day_start_utc(value))


class AuditLogView(StaffModelView):
    allowed_roles = ADMIN
    allow_create = False
    allow_edit = False
    allow_delete = False
    can_view_details = True
    column_list = ("created_at", "actor_email", "action", "object_type", "object_id", "changes")
    column_labels = {
        "created_at": _l("When"),
        "actor_email": _l("Who"),
        "action": _l("Action"),
        "object_type": _l("Object"),
        "object_id": _l("ID"),
        "ip": _l("IP address"),
        "changes": _l("Changes"),
    }
    column_formatters = {
        "changes": _changes_formatter,
        "action": _label(ACTION_LABELS),
        "object_type": _label(OBJECT_LABELS),
    }
    column_formatters_detail = column_formatters
    column_details_list = (*column_list, "ip")
    column_searchable_list = ("actor_email", "object_type", "object_id", "action")
    column_filters = (
        ActorFilter(),
        LabelledFilter(AuditEntry.object_type, _l("Object"), OBJECT_LABELS),
        LabelledFilter(AuditEntry.action, _l("Action"), ACTION_LABELS),
        DayFilter(until=False),
        DayFilter(until=True),
    )
    column_sortable_list = ("created_at", "actor_email", "action", "object_type")
    column_default_sort = ("id", True)

    def _get_filter_groups(self):
        # Flask-Admin reads filter options once, when the view is built; the list of people
        # grows with the log, so it is read again for each page.
        self._refresh_filters_cache()
        return super()._get_filter_groups()

    def get_query(self):
        return super().get_query().filter(shown_condition())

    def get_count_query(self):
        return super().get_count_query().filter(shown_condition())
