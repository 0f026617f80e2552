"""Legal documents and consents in the back office.

Admins and managers edit the five documents; saving a changed text publishes it as the next
version (shop.legal.services.publish), and every version stays readable here. Consents are a
read-only list (with filters) for admins and managers, and appear on the customer's and the
order's page.
"""

from flask import flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from admin.base import MANAGERS, StaffModelView, StaffView, client_ip, current_actor
from shop.core.errors import DomainError, NotFound
from shop.core.views import render_error
from shop.legal import services
from shop.legal.models import SLUGS

KIND_LABELS = {"offer": _l("Public offer"), "privacy": _l("Personal data processing")}


class DocumentForm(FlaskForm):
    title_ru = StringField(_l("Title (Russian)"), validators=[Length(max=services.TITLE_MAX)])
    body_ru = TextAreaField(
        _l("Text (Russian)"),
        description=_l("HTML: paragraphs, headings h2–h4, lists, links, tables."),
        render_kw={"rows": 18},
    )
    title_en = StringField(_l("Title (English)"), validators=[Length(max=services.TITLE_MAX)])
    body_en = TextAreaField(
        _l("Text (English)"),
        description=_l("May be left empty: readers then see the Russian text."),
        render_kw={"rows": 18},
    )


class LegalDocumentView(StaffView):
    allowed_roles = MANAGERS

    @expose("/")
    def index(self):
        return self.render("admin/legal/index.html", documents=services.documents())

    @expose("/<slug>/", methods=["GET", "POST"])
    def edit(self, slug):
        if slug not in SLUGS:
            return render_error(404)
        current = services.current_version(slug)
        form = DocumentForm(obj=current)
        if form.validate_on_submit():
            try:
                version = services.publish(
                    slug,
                    title_ru=form.title_ru.data,
                    body_ru=form.body_ru.data,
                    title_en=form.title_en.data,
                    body_en=form.body_en.data,
                    actor=current_actor(),
                    ip=client_ip(),
                )
            except DomainError as exc:
                flash(str(exc.message), "error")
            else:
                if version is None:
                    flash(_("Nothing has changed: no new version was published."), "info")
                else:
                    flash(_("Published as version %(number)d.", number=version.number), "success")
                return redirect(url_for(".edit", slug=slug))
        elif form.errors:
            flash(_("Not saved: please correct the fields marked below."), "error")
        return self.render("admin/legal/edit.html", form=form, current=current, slug=slug)

    @expose("/<slug>/versions/<int:number>")
    def version(self, slug, number):
        try:
            version = services.get_version(slug, number)
        except NotFound:
            return render_error(404)
        return self.render("admin/legal/version.html", version=version, slug=slug)


def _kind(view, context, model, name):
    return KIND_LABELS.get(model.kind, model.kind)


def _version(view, context, model, name):
    return f"{model.version.document.slug} v{model.version.number}"


class ConsentView(StaffModelView):
    """Who accepted which version, when and from where: read-only, the shop's proof."""

    allowed_roles = MANAGERS
    allow_create = False
    allow_edit = False
    allow_delete = False
    can_view_details = True
    column_list = ("accepted_at", "email", "kind", "version", "user", "order", "ip_address")
    column_details_list = (*column_list, "user_agent")
    column_labels = {
        "accepted_at": _l("When"),
        "email": _l("Email"),
        "kind": _l("Consent to"),
        "version": _l("Document version"),
        "user": _l("Customer"),
        "order": _l("Order"),
        "ip_address": _l("IP address"),
        "user_agent": _l("Browser"),
    }
    column_formatters = {
        "kind": _kind,
        "version": _version,
        "user": lambda v, c, m, n: m.user.email if m.user else "",
        "order": lambda v, c, m, n: m.order.number if m.order else "",
    }
    column_formatters_detail = column_formatters
    column_searchable_list = ("email", "ip_address")
    column_filters = ("kind", "accepted_at", "email")
    column_sortable_list = ("accepted_at", "email", "kind")
    column_default_sort = ("id", True)


def consents_for(*, user_id=None, order_id=None):
    """For the customer's and the order's pages (a template global of the back office)."""
    if order_id is not None:
        return services.consents_of_order(order_id)
    return services.consents_of_user(user_id)


def init_app(app):
    app.add_template_global(consents_for, "legal_consents_for")
    app.add_template_global(KIND_LABELS, "legal_kind_labels")
