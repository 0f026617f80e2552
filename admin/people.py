"""Customers, staff accounts and delivery methods in the back office.

Password hashes, two-factor secrets and recovery codes are never listed, shown or editable: the
views name the columns they show instead of excluding the dangerous ones.
"""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from admin.base import (
    ADMIN,
    MANAGERS,
    AdminForm,
    StaffModelView,
    audit_record,
    client_ip,
    current_actor,
    has_any_role,
    parse_ids,
)
from admin.filters import RoleFilter
from shop.accounts.models import ROLE_LABELS, STAFF_ROLES, Role, User
from shop.accounts.services import (
    NOTE_MAX_LENGTH,
    add_customer_note,
    create_staff,
    customer_notes,
    erase_customer,
    forget_sessions,
    invite_staff,
    is_erased,
    set_customers_active,
)
from shop.core.errors import DomainError, NotFound
from shop.core.vat import VatRate
from shop.extensions import db
from shop.reports.customers import customer_orders, customer_value

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


# Each language named in itself, as language menus do.
LANGUAGE_CHOICES = [("ru", "Русский"), ("en", "English")]


def _roles_formatter(view, context, model, name):
    return ", ".join(sorted(r.label for r in model.roles))


class CustomerNoteForm(FlaskForm):
    """A staff note about the customer; its length and emptiness are the service's to judge
    (accounts.services.add_customer_note), so the form and the service never disagree."""

    text = TextAreaField(_l("New note"), validators=[Optional()])


class CustomerActionForm(FlaskForm):
    """Only the CSRF token: deactivate and activate name the account in the URL."""


class EraseForm(FlaskForm):
    """Erasure cannot be undone: the staff member types the customer's email to confirm."""

    email = StringField(_l("Type the customer's email to confirm"), validators=[Optional()])


def _customer_email_formatter(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(
        view.get_url(".details_view", id=model.id), model.email
    )


class CustomerView(StaffModelView):
    """Shoppers and their page: profile, orders with their lifetime value, addresses, consents
    and staff notes. Managers and admins write notes and deactivate or activate an account;
    only admins erase one (through the storefront's own erasure, accounts.erase_account)."""

    allowed_roles = MANAGERS
    action_roles = {"deactivate": MANAGERS, "activate": MANAGERS}
    erase_roles = ADMIN
    allow_create = False
    allow_edit = False
    allow_delete = False
    can_view_details = True
    details_template = "admin/people/customer_details.html"
    erase_template = "admin/people/customer_erase.html"
    column_list = ("email", "full_name", "phone", "locale", "active", "create_datetime")
    column_labels = USER_LABELS
    column_choices = {"locale": LANGUAGE_CHOICES}
    column_formatters = {"email": _customer_email_formatter}
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

    def may_erase(self) -> bool:
        return has_any_role(*self.erase_roles)

    def render(self, template, **kwargs):
        model = kwargs.get("model")
        if template == self.details_template and model is not None:
            kwargs.update(self._page_context(model, kwargs.pop("note_form", None)))
        return super().render(template, **kwargs)

    def _page_context(self, user, note_form=None) -> dict:
        """What the customer's page shows besides the account itself."""
        return {
            "orders": customer_orders(user.id),
            "value": customer_value(user.id),
            "notes": customer_notes(user.id),
            "note_form": note_form or CustomerNoteForm(formdata=None),
            "action_form": CustomerActionForm(),
            "erased": is_erased(user),
            "language_names": dict(LANGUAGE_CHOICES),
            "note_max_length": NOTE_MAX_LENGTH,
        }

    def _customer_or_404(self, user_id):
        user = self.get_one(user_id)
        if user is None:
            abort(404)
        return user

    def _set_active(self, ids, value: bool) -> int:
        return set_customers_active(parse_ids(ids), value, actor=current_actor(), ip=client_ip())

    @action("deactivate", _l("Deactivate"), _l("Deactivate the selected accounts?"))
    def action_deactivate(self, ids):
        count = self._set_active(ids, False)
        flash(ngettext("%(num)d account deactivated.", "%(num)d accounts deactivated.", count))

    @action("activate", _l("Activate"), _l("Activate the selected accounts?"))
    def action_activate(self, ids):
        count = self._set_active(ids, True)
        flash(ngettext("%(num)d account activated.", "%(num)d accounts activated.", count))

    def _switch(self, user_id, value: bool, done: str):
        user = self._customer_or_404(user_id)
        back = url_for(".details_view", id=user_id)
        if not CustomerActionForm().validate_on_submit():
            flash(_("The form has expired, please try again."), "error")
            return redirect(back)
        if is_erased(user):  # nobody to let in again: the account is only a placeholder now
            flash(_("This account has already been erased."), "error")
            return redirect(back)
        if self._set_active([user_id], value):
            flash(done, "success")
        return redirect(back)

    @expose("/deactivate/<int:user_id>", methods=["POST"])
    def deactivate(self, user_id):
        return self._switch(user_id, False, _("The account was deactivated."))

    @expose("/activate/<int:user_id>", methods=["POST"])
    def activate(self, user_id):
        return self._switch(user_id, True, _("The account was activated."))

    @expose("/<int:user_id>/notes", methods=["POST"])
    def add_note(self, user_id):
        """Write a note; a refused one (empty, too long) shows the page again with the text
        kept and the reason under the field."""
        user = self._customer_or_404(user_id)
        form = CustomerNoteForm()
        back = url_for(".details_view", id=user_id)
        if not form.validate_on_submit():
            flash(_("The form has expired, please try again."), "error")
            return redirect(back)
        try:
            add_customer_note(user_id, form.text.data, author=current_actor(), ip=client_ip())
        except NotFound:
            abort(404)
        except DomainError as exc:
            db.session.rollback()
            form.text.errors = [str(exc.message)]
            flash(_("The note was not saved: %(reason)s", reason=str(exc.message)), "error")
            return self.render(self.details_template, model=user, note_form=form, return_url=back)
        flash(_("The note was saved."), "success")
        return redirect(back)

    @expose("/<int:user_id>/erase", methods=["GET", "POST"])
    def erase(self, user_id):
        """Erase the customer's personal data: a page saying what happens, then the POST
        with the customer's email typed again. Admins only."""
        if not self.may_erase():
            abort(403)
        user = self._customer_or_404(user_id)
        back = url_for(".details_view", id=user_id)
        if is_erased(user):
            flash(_("This account has already been erased."), "info")
            return redirect(back)
        form = EraseForm()
        if request.method == "POST":
            if not form.validate_on_submit():
                flash(_("The form has expired, please try again."), "error")
            elif (form.email.data or "").strip().casefold() != user.email.casefold():
                form.email.errors = [_("This is not the customer's email.")]
            else:
                try:
                    erase_customer(user_id, actor=current_actor(), ip=client_ip())
                except DomainError as exc:
                    db.session.rollback()
                    flash(str(exc.message), "error")
                    return redirect(back)
                flash(_("The customer's personal data was erased."), "success")
                return redirect(back)
        return self.render(
            self.erase_template, model=user, form=form, orders=customer_value(user.id).orders
        )


class InviteForm(FlaskForm):
    """Only the CSRF token: the account is in the URL."""


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StaffCreateForm(AdminForm):
    """A new staff account: who, in which language, with which roles. No password: the new
    member sets it through the emailed invitation."""

    email = EmailField(
        _l("Email"),
        validators=[InputRequired(), Length(max=255)],
        description=_l("The invitation with a link to set the password is sent to this address."),
    )
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=120)])
    locale = SelectField(
        _l("Language"),
        choices=LANGUAGE_CHOICES,
        default="ru",
        description=_l("The invitation and the back office are in this language."),
    )
    roles = MultiCheckboxField(
        _l("Roles"),
        choices=[(name, ROLE_LABELS[name]) for name in STAFF_ROLES],
        validators=[InputRequired(message=_l("Choose at least one staff role."))],
    )


class StaffAccountView(StaffModelView):
    """All accounts with their roles: admins only. Passwords are set by the owner, not here:
    a new staff account gets an emailed link to set its own (accounts.services.create_staff)."""

    allowed_roles = ADMIN
    allow_delete = False
    edit_template = "admin/people/account_edit.html"
    column_list = ("email", "full_name", "roles", "active", "last_login_at")
    column_formatters = {"roles": _roles_formatter}
    column_labels = USER_LABELS
    column_searchable_list = ("email", "full_name")
    column_filters = ("active", RoleFilter())
    form_columns = ("full_name", "phone", "locale", "active", "roles")
    form_choices = {"locale": LANGUAGE_CHOICES}

    def get_create_form(self):
        return StaffCreateForm

    def create_model(self, form):
        """Create the account through the accounts service, which also writes the invitation;
        the audit entry is written in its transaction."""
        def audit(user):
            audit_record(
                "create",
                "User",
                user.id,
                after={
                    "email": user.email,
                    "full_name": user.full_name,
                    "locale": user.locale,
                    "roles": sorted(r.name for r in user.roles),
                    "invited": True,
                },
            )

        try:
            user = create_staff(
                form.email.data,
                full_name=form.full_name.data,
                roles=form.roles.data,
                locale=form.locale.data,
                also=audit,
            )
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
            return False
        flash(
            _("An invitation to set a password was sent to %(email)s.", email=user.email),
            "success",
        )
        return user

    def get_save_return_url(self, model, is_created=False):
        # After creating an account, show it (its roles and the button to invite again).
        if is_created and model is not None:
            return self.get_url(".edit_view", id=model.id)
        return super().get_save_return_url(model, is_created)

    def render(self, template, **kwargs):
        model = kwargs.get("model")
        if template == self.edit_template and model is not None:
            kwargs["invite_form"] = InviteForm()
            kwargs["may_invite"] = model.active and model.is_staff
        return super().render(template, **kwargs)

    @expose("/<int:user_id>/invite", methods=["POST"])
    def invite(self, user_id):
        """Send a staff member a new set-password link (the first one expired, or was lost)."""
        back = url_for(".edit_view", id=user_id)
        if not InviteForm().validate_on_submit():
            flash(_("The form has expired, please try again."), "error")
            return redirect(back)

        def audit(user):
            audit_record("invite", "User", user.id, after={"email": user.email})

        try:
            user = invite_staff(user_id, also=audit)
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(back)
        flash(
            _("An invitation to set a password was sent to %(email)s.", email=user.email),
            "success",
        )
        return redirect(back)

    def apply_changes(self, form, model, is_created):
        from flask_login import current_user

        if not model.active and getattr(self, "_audit_before", {}).get("active"):
            # A deactivated account is logged out everywhere (in Flask-Admin's transaction).
            forget_sessions(model)
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
    "manager": _l("Catalogue, orders, customers (notes, deactivation), reports"),
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
        "vat_rate": _l("VAT rate"),
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
        "vat_rate",
        "needs_address",
        "active",
        "position",
    )
    # The VAT inside the delivery price (54-FZ receipts, "including VAT" lines).
    form_choices = {"vat_rate": [(rate.value, rate.label) for rate in VatRate]}
    allow_delete = False

    def apply_changes(self, form, model, is_created):
        from wtforms.validators import ValidationError

        if model.price is None or model.price < 0:
            raise ValidationError(_("A price cannot be negative."))
        if model.free_from is not None and model.free_from < 0:
            raise ValidationError(_("A price cannot be negative."))
        model.code = (model.code or "").strip()
