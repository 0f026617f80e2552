"""The CSV page: export products and variants, import them with a dry-run preview first."""

from datetime import date

from flask import Response, flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired

from admin.base import MANAGERS, StaffView, audit_record, client_ip
from admin.catalog_csv import (
    COLUMNS,
    ImportRefused,
    apply_import,
    decode,
    export_products,
    plan_import,
)
from shop.core.errors import ValidationFailed
from shop.extensions import db


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
        body = export_products()
        filename = f"products-{date.today().isoformat()}.csv"
        audit_record("export", "Product", None)
        db.session.commit()
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
            text = decode(form.file.data.read(2 * 1024 * 1024 + 1))
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
            plan = apply_import(
                form.csv_text.data, actor=current_user._get_current_object(), ip=client_ip()
            )
        except ImportRefused as exc:
            flash(str(exc.message), "error")
            plan = plan_import(form.csv_text.data)
            return self.render(
                "admin/csv/preview.html",
                plan=plan,
                apply_form=ApplyForm(csv_text=form.csv_text.data),
            )
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
