"""The CSV page: export products and variants, import them with a dry-run preview first.

The page parses the upload and shows or applies the plan; reading, checking and writing the
file is `shop.inventory.catalog_csv`'s work.
"""

from datetime import date

from flask import Response, flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired

from admin.base import MANAGERS, StaffView, client_ip, current_actor
from shop.core.errors import DomainError, ValidationFailed
from shop.inventory.catalog_csv import (
    COLUMNS,
    MAX_CSV_BYTES,
    ImportRefused,
    apply_import,
    decode,
    export_products,
    plan_import,
)


class UploadForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])


class ApplyForm(FlaskForm):
    csv_text = HiddenField(validators=[DataRequired()])


class CatalogCsvView(StaffView):
    allowed_roles = MANAGERS

    @expose("/", methods=["GET"])
    def index(self):
        return self.render("admin/csv/index.html", form=UploadForm(), columns=COLUMNS)

    @expose("/export.csv")
    def export(self):
        body = export_products(actor=current_actor(), ip=client_ip())
        filename = f"products-{date.today().isoformat()}.csv"
        return Response(
            body,
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @expose("/preview", methods=["POST"])
    def preview(self):
        form = UploadForm()
        if not form.validate_on_submit():
            for errors in form.errors.values():
                for error in errors:
                    flash(str(error), "error")
            return redirect(url_for(".index"))
        try:
            text = decode(form.file.data.read(MAX_CSV_BYTES + 1))
        except ValidationFailed as exc:
            flash(str(exc.message), "error")
            return redirect(url_for(".index"))
        plan = plan_import(text)
        return self.render("admin/csv/preview.html", plan=plan, apply_form=ApplyForm(csv_text=text))

    @expose("/apply", methods=["POST"])
    def apply(self):
        form = ApplyForm()
        if not form.validate_on_submit():
            flash(_("The form has expired, please upload the file again."), "error")
            return redirect(url_for(".index"))
        try:
            plan = apply_import(form.csv_text.data, actor=current_actor(), ip=client_ip())
        except ImportRefused as exc:
            flash(str(exc.message), "error")
            return self.render(
                "admin/csv/preview.html",
                plan=exc.details["plan"],
                apply_form=ApplyForm(csv_text=form.csv_text.data),
            )
        except DomainError as exc:  # the stock changed meanwhile: nothing was written
            flash(str(exc.message), "error")
            return redirect(url_for(".index"))
        flash(
            _(
                "Imported: %(created)d created, %(updated)d changed, %(unchanged)d unchanged.",
                created=plan.count("create"),
                updated=plan.count("update"),
                unchanged=plan.count("unchanged"),
            ),
            "success",
        )
        return redirect(url_for(".index"))
