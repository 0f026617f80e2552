"""Customers, staff accounts and delivery methods in the back office.

Password hashes, two-factor secrets and recovery codes are never listed, shown or editable: the
views name the columns they show instead of excluding the dangerous ones.
"""

import uuid

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from admin.base import ADMIN, MANAGERS, StaffModelView, audit_record, has_any_role, set_active
from admin.filters import RoleFilter
from shop.accounts.models import STAFF_ROLES, Role, User
from shop.extensions import db
from shop.orders.models import Order

USER_LABELS = {
    "email": _l("Email"),
    "full_name": _l("Full name"),
    "phone": _l("Phone"),
    "locale": _l("Language"),
    "active": _l("Active"),
    "roles": _l("Roles"),
    "create_datetime": _l("Registered"),
    "last_login_at": _l("Last login"),
    "current_login_at": _l("Current login"),
    "login_count": _l("Logins"),
    "confirmed_at": _l("Confirmed"),
}


def _roles_formatter(view, context, model, name):
    return ", ".join(sorted(r.label for r in model.roles))


class CustomerView(StaffModelView):
    """Shoppers: managers read, admins may also deactivate an account."""

    allowed_roles = MANAGERS
    readonly_roles = ("manager",)
    action_roles = {"deactivate": ADMIN, "activate": ADMIN}
    allow_create = False
    allow_edit = False
    allow_delete = False
    can_view_details = True
    details_template = "admin/people/customer_details.html"
    column_list = ("email", "full_name", "phone", "locale", "active", "create_datetime")
    column_details_list = (
        "email",
        "full_name",
        "phone",
        "locale",
        "active",
        "create_datetime",
        "last_login_at",
        "login_count",
    )
    column_labels = USER_LABELS
    column_searchable_list = ("email", "full_name", "phone")
    column_filters = ("active", "locale", "create_datetime")
    column_sortable_list = ("email", "full_name", "active", "create_datetime")
    column_default_sort = ("id", True)

    def get_query(self):
        staff = select(User.id).join(User.roles).where(Role.name.in_(STAFF_ROLES))
        return super().get_query().where(User.id.not_in(staff))

    def get_count_query(self):
        staff = select(User.id).join(User.roles).where(Role.name.in_(STAFF_ROLES))
        return super().get_count_query().where(User.id.not_in(staff))

    def get_one(self, id):
        user = super().get_one(id)
        if user is None or user.is_staff:
            return None
        return user

    def is_readonly(self):
        return not has_any_role(*ADMIN)

    def render(self, template, **kwargs):
        model = kwargs.get("model")
        if template == self.details_template and model is not None:
            kwargs["orders"] = db.session.scalars(
                select(Order).where(Order.user_id == model.id).order_by(Order.id.desc())
            ).all()
        return super().render(template, **kwargs)

    def _set_active(self, ids, value: bool) -> int:
        def on_change(user):
            if not value:
                # A new uniquifier ends the account's sessions everywhere.
                user.fs_uniquifier = uuid.uuid4().hex

        return set_active(User, ids, value, skip=lambda u: u.is_staff, on_change=on_change)

    @action("deactivate", _l("Deactivate"), _l("Deactivate the selected accounts?"))
    def action_deactivate(self, ids):
        count = self._set_active(ids, False)
        flash(ngettext("%(num)d account deactivated.", "%(num)d accounts deactivated.", count))

    @action("activate", _l("Activate"), _l("Activate the selected accounts?"))
    def action_activate(self, ids):
        count = self._set_active(ids, True)
        flash(ngettext("%(num)d account activated.", "%(num)d accounts activated.", count))

    @expose("/deactivate/<int:user_id>", methods=["POST"])
    def deactivate(self, user_id):
        if not has_any_role(*ADMIN):
            abort(403)
        if self._set_active([user_id], False):
            flash(_("The account was deactivated."), "success")
        return redirect(url_for(".details_view", id=user_id))


class StaffAccountView(StaffModelView):
    """All accounts with their roles: admins only. Passwords are set by the owner, not here."""

    allowed_roles = ADMIN
    allow_create = False
    allow_delete = False
    column_list = ("email", "full_name", "roles", "active", "last_login_at")
    column_formatters = {"roles": _roles_formatter}
    column_labels = USER_LABELS
    column_searchable_list = ("email", "full_name")
    column_filters = ("active", RoleFilter())
    form_columns = ("full_name", "phone", "locale", "active", "roles")
    form_choices = {"locale": [("ru", "Русский"), ("en", "English")]}

    def apply_changes(self, form, model, is_created):
        from flask_login import current_user

        if not model.active and getattr(self, "_audit_before", {}).get("active"):
            # A deactivated account is logged out everywhere.
            model.fs_uniquifier = uuid.uuid4().hex
        if model.id == current_user.id and (not model.active or not model.has_role("admin")):
            from wtforms.validators import ValidationError

            raise ValidationError(
                _("You cannot remove your own admin role or deactivate yourself.")
            )

    def update_model(self, form, model):
        self._roles_before = sorted(r.name for r in model.roles)
        return super().update_model(form, model)

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        roles_after = sorted(r.name for r in model.roles)
        if roles_after != getattr(self, "_roles_before", roles_after):
            audit_record(
                "roles",
                "User",
                model.id,
                before={"roles": self._roles_before},
                after={"roles": roles_after},
            )


# The stored descriptions are English (shop.accounts.services.ROLE_DESCRIPTIONS); the same
# msgids here let staff read them in their language.
ROLE_DESCRIPTION_LABELS = {
    "admin": _l("Everything, including users, roles and the audit log"),
    "manager": _l("Catalogue, orders, customers (read-only), reports"),
    "warehouse": _l("Stock and order fulfilment"),
    "customer": _l("A shopper"),
}


class RoleView(StaffModelView):
    allowed_roles = ADMIN
    column_list = ("name", "description")
    column_labels = {"name": _l("Name"), "description": _l("Description")}
    column_formatters = {
        "name": lambda view, context, model, name: model.label,
        "description": lambda view, context, model, name: ROLE_DESCRIPTION_LABELS.get(
            model.name, model.description
        ),
    }
    form_columns = ("name", "description")
    allow_delete = False


class DeliveryMethodView(StaffModelView):
    allowed_roles = MANAGERS
    column_list = (
        "name_ru",
        "name_en",
        "code",
        "price",
        "free_from",
        "needs_address",
        "active",
        "position",
    )
    column_labels = {
        "name_ru": _l("Name (ru)"),
        "name_en": _l("Name (en)"),
        "description_ru": _l("Description (ru)"),
        "description_en": _l("Description (en)"),
        "code": _l("Code"),
        "price": _l("Price"),
        "free_from": _l("Free from"),
        "needs_address": _l("Needs an address"),
        "active": _l("Active"),
        "position": _l("Sort order"),
    }
    column_default_sort = ("position", False)
    column_editable_list = ("active", "position")
    form_columns = (
        "code",
        "name_ru",
        "name_en",
        "description_ru",
        "description_en",
        "price",
        "free_from",
        "needs_address",
        "active",
        "position",
    )
    allow_delete = False

    def apply_changes(self, form, model, is_created):
        from wtforms.validators import ValidationError

        if model.price is None or model.price < 0:
            raise ValidationError(_("A price cannot be negative."))
        if model.free_from is not None and model.free_from < 0:
            raise ValidationError(_("A price cannot be negative."))
        model.code = (model.code or "").strip()
