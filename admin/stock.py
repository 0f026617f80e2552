"""Stock in the back office: variants with their counts, adjustments, the ledger, low stock.

Counts change only through `shop.inventory.services.adjust_stock`, which writes the
StockMovement; this module never assigns `variant.stock`.
"""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from admin.base import WAREHOUSE, StaffModelView, StaffView, audit_record
from shop.catalog.models import ProductVariant
from shop.core.errors import DomainError
from shop.extensions import db
from shop.inventory.models import StockMovement, StockReason
from shop.inventory.queries import low_stock_threshold, low_stock_variants
from shop.inventory.services import adjust_stock

REASON_LABELS = {
    StockReason.ADJUST: _l("Correction"),
    StockReason.RECEIVE: _l("Goods received"),
    StockReason.ORDER: _l("Order"),
    StockReason.CANCEL: _l("Order cancelled"),
    StockReason.INITIAL: _l("Initial stock"),
    StockReason.RETURN: _l("Returned by the customer"),
    StockReason.EDIT: _l("Order changed"),
}


class AdjustForm(FlaskForm):
    delta = IntegerField(
        _l("Change in stock, units"),
        validators=[DataRequired(), NumberRange(min=-100000, max=100000)],
        description=_l("A positive number adds units, a negative one removes them."),
    )
    reason = SelectField(
        _l("Reason"),
        choices=[
            (StockReason.RECEIVE, _l("Goods received")),
            (StockReason.ADJUST, _l("Correction")),
        ],
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


def _adjust_link(view, context, model, name):
    url = url_for("admin_stock_adjust.adjust", variant_id=model.id)
    return Markup('<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>').format(
        url, _("Adjust")
    )


class StockView(StaffModelView):
    """Every variant with its stock; the counts are read-only here."""

    allowed_roles = WAREHOUSE
    allow_create = False
    allow_edit = False
    allow_delete = False
    column_list = ("sku", "product.name_ru", "size", "colour", "stock", "active", "adjust")
    column_labels = {
        "sku": _l("SKU"),
        "product.name_ru": _l("Product"),
        "size": _l("Size"),
        "colour": _l("Colour"),
        "stock": _l("Stock"),
        "active": _l("Active"),
        "adjust": "",
    }
    column_formatters = {"adjust": _adjust_link}
    column_searchable_list = ("sku", "product.name_ru", "product.name_en")
    column_filters = ("stock", "active", "size", "colour")
    column_sortable_list = ("sku", "stock", "size", "colour")
    column_default_sort = ("sku", False)


class StockAdjustView(StaffView):
    """Adjust one variant's stock with a reason, and the low-stock list."""

    allowed_roles = WAREHOUSE

    @expose("/")
    def index(self):
        return redirect(url_for(".low_stock"))

    @expose("/low")
    def low_stock(self):
        try:
            threshold = int(request.args.get("threshold", low_stock_threshold()))
        except ValueError:
            threshold = low_stock_threshold()
        threshold = max(0, min(threshold, 100000))
        return self.render(
            "admin/stock/low.html", threshold=threshold, variants=low_stock_variants(threshold)
        )

    @expose("/<int:variant_id>", methods=["GET", "POST"])
    def adjust(self, variant_id):
        variant = db.session.get(ProductVariant, variant_id)
        if variant is None:
            abort(404)
        form = AdjustForm()
        if form.validate_on_submit():
            before = variant.stock

            def audit(stock):  # in the adjustment's own transaction
                audit_record(
                    "stock",
                    "ProductVariant",
                    variant.id,
                    before={"stock": before},
                    after={"stock": stock, "reason": form.reason.data, "note": form.note.data},
                )

            try:
                stock = adjust_stock(
                    variant.id,
                    form.delta.data,
                    form.reason.data,
                    actor=current_user._get_current_object(),
                    note=form.note.data or None,
                    also=audit,
                )
            except DomainError as exc:
                flash(str(exc.message), "error")
            else:
                flash(
                    _("Stock of %(sku)s is now %(stock)d.", sku=variant.sku, stock=stock),
                    "success",
                )
                return redirect(url_for(".adjust", variant_id=variant.id))
        elif request.method == "POST":
            flash(_("Please correct the errors below."), "error")
        movements = db.session.scalars(
            select(StockMovement)
            .where(StockMovement.variant_id == variant.id)
            .order_by(StockMovement.id.desc())
            .limit(20)
        ).all()
        return self.render(
            "admin/stock/adjust.html",
            variant=variant,
            form=form,
            movements=movements,
            reason_labels=REASON_LABELS,
        )


def _delta_formatter(view, context, model, name):
    return f"{model.delta:+d}" if model.delta else "0"


def _reason_formatter(view, context, model, name):
    return REASON_LABELS.get(model.reason, model.reason)


class MovementView(StaffModelView):
    """The stock ledger: read-only, newest first."""

    allowed_roles = WAREHOUSE
    allow_create = False
    allow_edit = False
    allow_delete = False
    column_list = (
        "created_at",
        "variant.sku",
        "delta",
        "stock_after",
        "reason",
        "note",
        "actor",
        "order",
    )
    column_labels = {
        "created_at": _l("When"),
        "variant.sku": _l("SKU"),
        # "Change" alone was translated as the verb "Изменить" (edit): this is the change of stock
        "delta": _l("Change in stock"),
        "stock_after": _l("Stock after"),
        "reason": _l("Reason"),
        "note": _l("Note"),
        "actor": _l("Who"),
        "order": _l("Order"),
    }
    column_formatters = {"reason": _reason_formatter, "delta": _delta_formatter}
    column_searchable_list = ("variant.sku", "note")
    column_filters = ("reason", "created_at", "delta")
    column_sortable_list = ("created_at", "delta")
    column_default_sort = ("id", True)
