"""Access rules and audit hooks shared by every back-office view.

Anonymous visitors are sent to the login page; a logged-in user without one of the view's roles
gets 403. The check runs in `_handle_view`, which Flask-Admin calls before every exposed endpoint,
so it covers GET and POST, list, create, edit, delete, actions and our own pages alike.
Staff who have not set up two-factor authentication are sent to set it up first.

Every model view records creates, updates and deletes in the audit log inside the same
transaction as the change (`on_model_change` / `on_model_delete` run before Flask-Admin commits).

Odd addresses get a 400 with a translated message, never a 500: a NUL byte in any query argument
(PostgreSQL refuses it in a text parameter), and on lists a page, page size or sort that is not
a plain small number (Flask-Admin would pass page=-1 or a 30-digit page into OFFSET). Inline
(x-editable) edits of a record that does not exist answer 404.
"""

import logging

from flask import abort, current_app, flash, g, make_response, redirect, request, session, url_for
from flask_admin import BaseView, expose
from flask_admin.babel import gettext as admin_gettext
from flask_admin.contrib.sqla import ModelView
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from sqlalchemy import or_
from werkzeug.routing import BuildError
from wtforms.validators import ValidationError

from admin.search import contains_word, search_terms
from admin.timefilters import LocalTimeFilterConverter
from admin.widgets import (
    DETAIL_FORMATTERS,
    LIST_FORMATTERS,
    ShopInlineConverter,
    ids_per_row,
    without_ids,
)
from shop.accounts.models import STAFF_ROLES
from shop.audit import services as audit
from shop.core.errors import DomainError
from shop.core.views import render_error
from shop.extensions import db

log = logging.getLogger(__name__)

ADMIN = ("admin",)
MANAGERS = ("admin", "manager")
WAREHOUSE = ("admin", "warehouse")
ALL_STAFF = STAFF_ROLES
# Flask-Admin endpoints that write; a read-only role gets 403 on them (GET and POST).
WRITE_ENDPOINTS = {"create_view", "edit_view", "delete_view", "action_view", "ajax_update"}
# List arguments Flask-Admin reads as numbers, and the largest value each may take. Pages count
# from 0; a page past the end shows an empty list, but one past this is a typo or a probe.
MAX_PAGE = 100_000
LIST_NUMBERS = {"page": MAX_PAGE, "page_size": 1000, "sort": 1000, "desc": 1}


def has_any_role(*roles: str) -> bool:
    """True when the logged-in, active user holds one of `roles`."""
    return bool(
        current_user.is_authenticated
        and current_user.active
        and any(current_user.has_role(r) for r in roles)
    )


def client_ip() -> str | None:
    return request.remote_addr if request else None


def current_actor():
    """The logged-in staff member (the user object itself, not Flask-Login's proxy), or None:
    what services take as `actor` for their audit entries and events."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def audit_record(action, object_type, object_id=None, before=None, after=None):
    """Record an action of the current staff member (added to the session, not committed).

    For Flask-Admin's own saving (its hooks run before it commits) and the `also` callbacks of
    services that take one; other services record their entries themselves.
    """
    return audit.record(
        action,
        object_type,
        object_id,
        before=before,
        after=after,
        actor=current_actor(),
        ip=client_ip(),
    )


def parse_ids(values) -> list[int]:
    """The sensible integer ids among `values` (a bulk action's row ids); the rest dropped."""
    return [pk for pk in map(parse_id, values) if pk is not None]


def parse_id(value) -> int | None:
    """A positive 32-bit integer id from a URL, or None."""
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**31 else None


def bad_request(text: str):
    """Stop the request with the 400 page saying `text` (a translated message)."""
    abort(make_response(render_error(400, text)))


def refuse_nul_in_query() -> None:
    """400 for a NUL byte anywhere in the query string (names or values)."""
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        bad_request(_("The address contains a character that is not allowed."))


def refuse_bad_list_numbers() -> None:
    """400 unless page, page_size, sort and desc are plain whole numbers in their range."""
    for name, largest in LIST_NUMBERS.items():
        for value in request.args.getlist(name):
            if not (value.isascii() and value.isdigit() and int(value) <= largest):
                bad_request(
                    _(
                        "This list cannot be shown: the page number, page size or sort order "
                        "in the address is not valid."
                    )
                )


def two_factor_setup_url() -> str | None:
    """Flask-Security's setup page, or None while SECURITY_TWO_FACTOR is off."""
    if not current_app.config.get("SECURITY_TWO_FACTOR"):
        return None
    try:
        return url_for("security.two_factor_setup")
    except BuildError:
        return None


def form_problems(form, prefix=""):
    """ "Label: first error" for every field of `form` that has one, sub-forms included
    ("Variant #2: SKU: This field is required.")."""
    for field in form:
        if field.type == "CSRFTokenField":
            if field.errors:
                yield _("The form has expired, please try again.")
        elif hasattr(field, "entries"):  # a list of sub-forms: a product's variants
            for number, entry in enumerate(field.entries, 1):
                yield from form_problems([entry], f"{prefix}{field.label.text} #{number}: ")
        elif getattr(field, "form", None) is not None and hasattr(field.form, "_fields"):
            yield from form_problems(field.form, prefix)
        elif field.errors:
            # messages may be lazy strings; sub-forms' errors are lists and dicts
            message = next(
                (str(e) for e in field.errors if not isinstance(e, (dict, list, tuple))), None
            )
            if message:
                yield f"{prefix}{field.label.text}: {message}"


class RoleRequired:
    """Mixin for Flask-Admin views: `allowed_roles` lists who may use the view at all."""

    allowed_roles: tuple[str, ...] = STAFF_ROLES

    def is_accessible(self):
        return has_any_role(*self.allowed_roles)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("security.login", next=request.full_path))
        abort(403)

    def needs_two_factor(self) -> bool:
        return bool(
            current_app.config.get("STAFF_TWO_FACTOR_REQUIRED", True)
            and not getattr(current_user, "tf_primary_method", None)
        )

    def _handle_view(self, name, **kwargs):
        response = super()._handle_view(name, **kwargs)
        if response is not None:
            return response
        refuse_nul_in_query()
        if self.needs_two_factor():
            setup = two_factor_setup_url()
            if setup is not None:
                flash(_("Set up two-factor authentication to use the back office."), "warning")
                return redirect(setup)
            # Two-factor is not switched on in Flask-Security yet: nothing to set up, so the
            # requirement cannot be enforced. Say so in the log rather than lock everyone out.
            log.warning("STAFF_TWO_FACTOR_REQUIRED is set but SECURITY_TWO_FACTOR is off")
        return None


class AdminForm(FlaskForm):
    """Flask-WTF's form (CSRF checked) that remembers the edited object like Flask-Admin's.

    Flask-Admin's Unique validator compares against `form._obj`; without it every edit of a row
    with a unique column fails with "already exists".
    """

    def __init__(self, formdata=_Auto, obj=None, prefix="", **kwargs):
        self._obj = obj
        super().__init__(formdata=formdata, obj=obj, prefix=prefix, **kwargs)


class StaffView(RoleRequired, BaseView):
    """A plain back-office page (not tied to one model)."""


class StaffModelView(RoleRequired, ModelView):
    """A model view with CSRF-checked forms, role-limited writes and an audit trail.

    `readonly_roles` may look but not create, edit, delete or run actions; `action_roles` narrows
    single actions further ({"deactivate": ("admin",)}).
    """

    form_base_class = AdminForm
    list_template = "admin/shop/list.html"
    create_template = "admin/shop/create.html"
    edit_template = "admin/shop/edit.html"
    inline_model_form_converter = ShopInlineConverter
    # Values as people read them: yes/no, dates in the shop's format, money (admin/widgets.py).
    column_type_formatters = LIST_FORMATTERS
    column_type_formatters_detail = DETAIL_FORMATTERS
    # Date-and-time filters read what the staff member typed in their time zone.
    filter_converter = LocalTimeFilterConverter()
    readonly_roles: tuple[str, ...] = ()
    action_roles: dict[str, tuple[str, ...]] = {}
    allow_create = True
    allow_edit = True
    allow_delete = True
    page_size = 50

    def filter_arg(self, column: str, operation=None) -> str | None:
        """The URL argument of the filter on `column` ("flt0_<index>"), for links to a list.

        Flask-Admin's named filter URLs are built from translated labels (and drop non-Latin
        letters), so links go by the index, looked up here instead of hard-coded.
        """
        from flask_admin.contrib.sqla.filters import FilterEqual

        operation = operation or FilterEqual
        for index, flt in enumerate(self._filters or ()):
            if getattr(flt.column, "key", None) == column and type(flt) is operation:
                return f"flt0_{self.get_filter_arg(index, flt)}"
        return None

    can_set_page_size = True

    def __init__(self, model, session=None, **kwargs):
        # Flask-Admin 2 takes the Flask-SQLAlchemy object (passing db.session is deprecated).
        super().__init__(model, session or db, **kwargs)

    def _handle_view(self, name, **kwargs):
        response = super()._handle_view(name, **kwargs)
        if response is None and name in WRITE_ENDPOINTS and self.is_readonly():
            abort(403)
        return response

    def handle_action(self, return_view=None):
        """Flask-Admin's bulk-action handler, with the role checked and row ids cleaned first.

        A refused action is a 403 (Flask-Admin would silently ignore it), and ids that are not
        integers never reach the database (PostgreSQL would answer "abc" with an error).
        """
        from flask_admin.helpers import flash_errors, get_redirect_target

        name = request.form.get("action")
        if name not in self._actions_data or not self.is_action_allowed(name):
            abort(403)
        form = self.action_form()
        if self.validate_form(form):
            ids = [str(pk) for pk in map(parse_id, request.form.getlist("rowid")) if pk]
            response = self._actions_data[name][0](ids)
            if response is not None:
                return response
        else:
            flash_errors(form, message="Failed to perform action. %(error)s")
        return redirect(get_redirect_target() or self.get_url(".index_view"))

    # Search: see admin/search.py. Views may add conditions (and their names in the search
    # box's placeholder) for what is not a column of the listed row, e.g. a variant's SKU.
    search_also_labels: tuple = ()

    def search_conditions(self, word: str) -> list:
        """More conditions, any of which may match one lower-cased search word."""
        return []

    def search_placeholder(self):
        names = [super().search_placeholder(), *(str(label) for label in self.search_also_labels)]
        return ", ".join(name for name in names if name) or None

    def _apply_search(self, query, count_query, joins, count_joins, search):
        """Flask-Admin's search, ignoring case in every alphabet on both engines: each word
        typed must be contained in one of the searchable columns (or match an extra condition).
        """
        for word in search_terms(search):
            matches, count_matches = [], []
            for field, path in self._search_fields:
                query, joins, alias = self._apply_path_joins(query, joins, path, inner_join=False)
                column = field if alias is None else getattr(alias, field.key)
                matches.append(contains_word(column, word))
                if count_query is not None:
                    count_query, count_joins, count_alias = self._apply_path_joins(
                        count_query, count_joins, path, inner_join=False
                    )
                    column = field if count_alias is None else getattr(count_alias, field.key)
                    count_matches.append(contains_word(column, word))
            extra = self.search_conditions(word)
            query = query.filter(or_(*matches, *extra))
            if count_query is not None:
                count_query = count_query.filter(or_(*count_matches, *extra))
        return query, count_query, joins, count_joins

    # Markup: ids that would repeat on every row of a list (admin/widgets.py).

    def delete_form(self):
        return without_ids(super().delete_form(), "id", "url", "csrf_token")

    def list_form(self, obj=None):
        form = super().list_form(obj)
        return form if obj is None else ids_per_row(form, self.get_pk_value(obj))

    def scaffold_form(self):
        """Flask-Admin's form, with the empty choice of an optional select shown as "—" (it
        showed its internal value "__None") unless the view names it (form_args blank_text)."""
        from wtforms.fields.core import UnboundField

        form_class = super().scaffold_form()
        for value in vars(form_class).values():
            if (
                isinstance(value, UnboundField)
                and value.kwargs.get("allow_blank")
                and not value.kwargs.get("blank_text")
            ):
                value.kwargs["blank_text"] = "—"
        return form_class

    # A refused form says why, in the reader's language. Flask-Admin's own "Failed to create
    # record." / "Failed to save record." are missing from its compiled Russian catalogue and
    # name no field, so they are replaced by one message naming each field and its problem.
    FORM_ENDPOINTS = ("create_view", "edit_view")

    def validate_form(self, form):
        valid = super().validate_form(form)
        if not valid and request.method == "POST" and self._endpoint_name() in self.FORM_ENDPOINTS:
            problems = list(form_problems(form))
            if problems:
                flash(
                    _("Not saved. Please correct: %(problems)s", problems="; ".join(problems)),
                    "error",
                )
            else:
                flash(_("Not saved: please correct the fields marked below."), "error")
            g.shop_form_refused = True
        return valid

    def _endpoint_name(self) -> str:
        return (request.endpoint or "").rpartition(".")[2]

    def render(self, template, **kwargs):
        if g.pop("shop_form_refused", False):
            generic = {
                admin_gettext("Failed to create record."),
                admin_gettext("Failed to save record."),
            }
            flashes = session.get("_flashes", [])
            session["_flashes"] = [item for item in flashes if item[1] not in generic]
        return super().render(template, **kwargs)

    def _get_list_extra_args(self):
        # Every list, and every export of one, reads its arguments here.
        refuse_bad_list_numbers()
        return super()._get_list_extra_args()

    def get_list(self, *args, **kwargs):
        """Flask-Admin's list query, with a value the database cannot hold (a 30-digit number
        in a numeric filter: SQLite's integers are 64-bit) answered with 400, not 500."""
        from sqlalchemy.exc import DataError

        try:
            return super().get_list(*args, **kwargs)
        except (OverflowError, DataError) as exc:
            db.session.rollback()
            log.info("back-office list refused a value: %s", exc)
            bad_request(
                _("This list cannot be shown: a number in the search or filters is too large.")
            )

    @expose("/ajax/update/", methods=("POST",))
    def ajax_update(self):
        """Flask-Admin's inline edit, with a missing record answered 404 (it says 500)."""
        if self.column_editable_list and self.get_one(request.form.get("list_form_pk")) is None:
            return admin_gettext("Record does not exist."), 404
        return super().ajax_update()

    def get_one(self, id):
        """The row with this id, or None for anything that is not a sensible integer id.

        Flask-Admin hands the raw query-string value to the database; PostgreSQL answers "abc"
        or a 20-digit number with an error (a 500). Every model here has an integer key.
        """
        pk = parse_id(id)
        return None if pk is None else super().get_one(str(pk))

    def is_readonly(self) -> bool:
        writers = tuple(r for r in self.allowed_roles if r not in self.readonly_roles)
        return not has_any_role(*writers)

    @property
    def can_create(self):
        return self.allow_create and not self.is_readonly()

    @property
    def can_edit(self):
        return self.allow_edit and not self.is_readonly()

    @property
    def can_delete(self):
        return self.allow_delete and not self.is_readonly()

    def is_action_allowed(self, name):
        if self.is_readonly():
            return False
        roles = self.action_roles.get(name)
        if roles is not None and not has_any_role(*roles):
            return False
        return super().is_action_allowed(name)

    # Audit trail: hooks run inside Flask-Admin's transaction, before its commit.

    @property
    def audit_type(self) -> str:
        return self.model.__name__

    def audit_snapshot(self, model) -> dict:
        """What the audit log keeps of `model`; views add their inline children."""
        return audit.snapshot(model)

    def update_model(self, form, model):
        self._audit_before = self.audit_snapshot(model)
        return super().update_model(form, model)

    def on_model_change(self, form, model, is_created):
        try:
            self.apply_changes(form, model, is_created)
        except DomainError as exc:
            raise ValidationError(str(exc.message)) from exc
        db.session.flush()
        after = self.audit_snapshot(model)
        if is_created:
            audit_record("create", self.audit_type, model.id, after=after)
        else:
            before, after = audit.changed_only(getattr(self, "_audit_before", {}), after)
            audit_record("update", self.audit_type, model.id, before=before, after=after)

    def apply_changes(self, form, model, is_created):
        """Hook for subclasses: sanitise, store uploads... Raise DomainError to refuse."""

    def on_model_delete(self, model):
        audit_record("delete", self.audit_type, model.id, before=self.audit_snapshot(model))

    def handle_view_exception(self, exc):
        from sqlalchemy.exc import IntegrityError

        if isinstance(exc, DomainError):
            flash(str(exc.message), "error")
            return True
        if isinstance(exc, IntegrityError):
            # Flask-Admin would show the database's own message (SQL included).
            log.info("integrity error in the back office: %s", exc.orig)
            flash(
                _(
                    "Not saved: a value that must be unique is already in use, or the record "
                    "is still referenced elsewhere."
                ),
                "error",
            )
            return True
        return super().handle_view_exception(exc)
