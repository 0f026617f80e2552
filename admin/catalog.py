"""Catalogue in the back office: the category tree and products with their variants and images.

Categories and products are saved through `shop.catalog.saving` (slug, descriptions sanitised
with nh3, search data) in `on_model_change`, before Flask-Admin's commit; uploads go through
`store_image` (Pillow verify and re-encode under a random name); stock is shown but never
edited here (the inventory service owns it, with a reason, in the stock screens).
"""

from flask import flash, g, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.form import InlineFormAdmin
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from wtforms import FileField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from admin.base import (
    MANAGERS,
    WAREHOUSE,
    StaffModelView,
    audit_record,
    client_ip,
    current_actor,
    has_any_role,
    parse_ids,
)
from admin.filters import ParentCategoryFilter
from admin.search import contains_word
from shop.audit import services as audit
from shop.catalog import saving
from shop.catalog import services as catalogue
from shop.catalog.images import remove_image_files, store_image
from shop.catalog.models import Product, ProductImage, ProductVariant
from shop.catalog.slugs import make_slug
from shop.core.errors import DomainError, ValidationFailed
from shop.core.money import format_money
from shop.core.vat import VatRate
from shop.extensions import db
from shop.inventory.models import StockMovement
from shop.orders.models import OrderLine

# Uploads larger than this are refused before Pillow sees them (MAX_CONTENT_LENGTH caps the
# whole request; this caps one image).
MAX_IMAGE_BYTES = 5 * 1024 * 1024


def normalise_slug(obj, slug_length: int) -> None:
    """What staff typed as a slug, made URL-safe; left empty, `shop.catalog.saving` makes one
    from the name."""
    obj.slug = make_slug(obj.slug or "")[:slug_length] or None


def has_history(variant_ids) -> bool:
    """Whether any of these variants appears in an order or the stock ledger.

    Deleting such a variant would take its stock movements with it (ON DELETE CASCADE) and
    leave order lines pointing nowhere, so the back office offers deactivation instead.
    """
    ids = [i for i in variant_ids if i is not None]
    if not ids:
        return False
    with db.session.no_autoflush:
        sold = db.session.scalar(select(OrderLine.id).where(OrderLine.variant_id.in_(ids)).limit(1))
        moved = db.session.scalar(
            select(StockMovement.id).where(StockMovement.variant_id.in_(ids)).limit(1)
        )
    return sold is not None or moved is not None


class OptionalSlugMixin:
    """The slug column is NOT NULL, but staff may leave it empty: the save fills it."""

    slug_length = 160

    def scaffold_form(self):
        form_class = super().scaffold_form()
        # Same field (same place in the form), without the InputRequired of a NOT NULL column.
        form_class.slug.kwargs["validators"] = [Optional(), Length(max=self.slug_length)]
        form_class.slug.kwargs["description"] = _l("Left empty, it is made from the name.")
        return form_class


def _category_path(view, context, model, name):
    parts, node, seen = [], model, set()
    while node is not None and node.id not in seen:
        seen.add(node.id)
        parts.append(node.name_ru)
        node = node.parent
    return " › ".join(reversed(parts))


class CategoryView(OptionalSlugMixin, StaffModelView):
    slug_length = 120
    allowed_roles = MANAGERS
    column_list = ("path", "slug", "name_en", "position", "active")
    column_labels = {
        "path": _l("Category"),
        "slug": _l("Slug"),
        "name_ru": _l("Name (ru)"),
        "name_en": _l("Name (en)"),
        "description_ru": _l("Description (ru)"),
        "description_en": _l("Description (en)"),
        "position": _l("Sort order"),
        "active": _l("Active"),
        "parent": _l("Parent category"),
    }
    column_formatters = {"path": _category_path}
    column_default_sort = [("parent_id", False), ("position", False), ("id", False)]
    column_sortable_list = ("slug", "name_en", "position", "active")
    column_searchable_list = ("name_ru", "name_en", "slug")
    column_filters = ("active", ParentCategoryFilter())
    form_columns = (
        "parent",
        "name_ru",
        "name_en",
        "slug",
        "position",
        "active",
        "description_ru",
        "description_en",
    )
    form_overrides = {"description_ru": TextAreaField, "description_en": TextAreaField}
    form_args = {"parent": {"blank_text": _l("No parent (top level)")}}
    column_editable_list = ("position", "active")

    def apply_changes(self, form, model, is_created):
        normalise_slug(model, 120)
        # A category may not become its own ancestor.
        node, seen = model.parent, set()
        while node is not None:
            if node is model or (model.id is not None and node.id == model.id):
                raise ValidationError(_("A category cannot be placed inside itself."))
            if node.id in seen:
                break
            seen.add(node.id)
            node = node.parent
        saving.save_category(model)

    def on_model_delete(self, model):
        if model.children or model.products:
            raise ValidationError(_("Only an empty category can be deleted."))
        super().on_model_delete(model)


class VariantInline(InlineFormAdmin):
    form_columns = (
        "id",
        "sku",
        "size",
        "colour",
        "price",
        "old_price",
        "weight_grams",
        "position",
        "active",
    )
    form_label = _l("Variant")
    column_labels = {
        "sku": _l("SKU"),
        "size": _l("Size"),
        "colour": _l("Colour"),
        "price": _l("Price"),
        "old_price": _l("Old price"),
        "weight_grams": _l("Weight, g"),
        "position": _l("Sort order"),
        "active": _l("Active"),
    }


def _price_formatter(view, context, model, name):
    return format_money(getattr(model, name))


def _stock_formatter(view, context, model, name):
    return sum(v.stock for v in model.variants)


class ProductView(OptionalSlugMixin, StaffModelView):
    allowed_roles = MANAGERS
    edit_template = "admin/catalog/product_edit.html"
    column_list = ("name_ru", "name_en", "category", "min_price", "stock", "active", "featured")
    column_labels = {
        "name_ru": _l("Name (ru)"),
        "name_en": _l("Name (en)"),
        "category": _l("Category"),
        "min_price": _l("Price from"),
        "stock": _l("Stock"),
        "active": _l("Active"),
        "featured": _l("Featured"),
        "slug": _l("Slug"),
        "brand": _l("Brand"),
        "description_ru": _l("Description (ru)"),
        "description_en": _l("Description (en)"),
        "in_stock": _l("In stock"),
        "created_at": _l("Created"),
        "variants": _l("Variants"),
        "category.name_ru": _l("Category"),
        "vat_rate": _l("VAT rate"),
    }
    column_formatters = {"min_price": _price_formatter, "stock": _stock_formatter}
    column_searchable_list = ("name_ru", "name_en", "slug", "brand")
    column_filters = ("category.name_ru", "active", "featured", "in_stock", "min_price", "brand")
    column_sortable_list = ("name_ru", "name_en", "min_price", "active", "featured", "created_at")
    column_default_sort = ("id", True)
    form_columns = (
        "category",
        "name_ru",
        "name_en",
        "slug",
        "brand",
        "description_ru",
        "description_en",
        "active",
        "featured",
        "vat_rate",
        "new_image",
        "variants",
    )
    # The VAT inside the product's prices (54-FZ receipts, "including VAT" lines).
    form_choices = {"vat_rate": [(rate.value, rate.label) for rate in VatRate]}
    form_overrides = {"description_ru": TextAreaField, "description_en": TextAreaField}
    form_args = {
        "description_ru": {"description": _l("HTML: formatting tags are kept, the rest removed.")},
    }
    form_extra_fields = {
        "new_image": FileField(
            _l("Add an image"), description=_l("JPEG, PNG, WebP or GIF, up to 5 MB.")
        )
    }
    inline_models = (VariantInline(ProductVariant),)

    search_also_labels = (_l("SKU"),)

    def search_conditions(self, word):
        # EXISTS, not a join: a product shows once however many of its variants match.
        return [Product.variants.any(contains_word(ProductVariant.sku, word))]

    def get_query(self):
        return super().get_query().options(db.selectinload(Product.variants))

    def render(self, template, **kwargs):
        kwargs.setdefault("may_adjust_stock", has_any_role(*WAREHOUSE))
        return super().render(template, **kwargs)

    def audit_snapshot(self, model):
        data = audit.snapshot(model)
        data["variants"] = [audit.snapshot(v) for v in model.variants]
        return data

    def apply_changes(self, form, model, is_created):
        normalise_slug(model, 160)
        for variant in model.variants:
            if variant.sku:
                variant.sku = variant.sku.strip()
            if variant.price is not None and variant.price < 0:
                raise ValidationError(_("A price cannot be negative."))
            if variant.stock is None:
                variant.stock = 0
        saving.save_product(model)  # slug, sanitised descriptions, search data (with SKUs)
        upload = request.files.get("new_image")
        if upload is not None and upload.filename:
            data = upload.read(MAX_IMAGE_BYTES + 1)
            if len(data) > MAX_IMAGE_BYTES:
                raise ValidationError(_("The image is larger than 5 MB."))
            try:
                filename, width, height = store_image(data)
            except ValidationFailed as exc:
                raise ValidationError(str(exc.message)) from exc
            position = max((i.position for i in model.images), default=-1) + 1
            image = ProductImage(
                filename=filename,
                width=width,
                height=height,
                position=position,
                alt_ru=model.name_ru,
                alt_en=model.name_en,
            )
            model.images.append(image)
            g.setdefault("new_product_images", []).append(image)

    def on_model_change(self, form, model, is_created):
        removed = [o for o in db.session.deleted if isinstance(o, ProductVariant)]
        if has_history([v.id for v in removed]):
            raise ValidationError(
                _("A variant that has been sold or stocked cannot be deleted: deactivate it.")
            )
        super().on_model_change(form, model, is_created)
        for image in g.get("new_product_images", []):
            audit_record("create", "ProductImage", image.id, after=audit.snapshot(image))

    def create_model(self, form):
        return self._keep_images_if(super().create_model(form))

    def update_model(self, form, model):
        return self._keep_images_if(super().update_model(form, model))

    def _keep_images_if(self, saved):
        """An upload stored before a save that then failed leaves no orphan file behind."""
        images = g.pop("new_product_images", [])
        if not saved:
            for image in images:
                remove_image_files(image.filename)
        return saved

    def on_model_delete(self, model):
        if has_history([v.id for v in model.variants]):
            raise ValidationError(
                _("A product that has been sold or stocked cannot be deleted: deactivate it.")
            )
        super().on_model_delete(model)

    @expose("/image/<int:image_id>/delete", methods=["POST"])
    def delete_image(self, image_id):
        if not self.can_edit:
            return redirect(url_for(".index_view"))
        try:
            product_id = catalogue.delete_image(image_id, actor=current_actor(), ip=client_ip())
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(url_for(".index_view"))
        flash(_("The image was removed."), "success")
        return redirect(url_for(".edit_view", id=product_id))

    def _set_active(self, ids, value: bool) -> int:
        return catalogue.set_products_active(
            parse_ids(ids), value, actor=current_actor(), ip=client_ip()
        )

    @action("activate", _l("Activate"), _l("Activate the selected products?"))
    def action_activate(self, ids):
        count = self._set_active(ids, True)
        flash(
            ngettext("%(num)d product activated.", "%(num)d products activated.", count),
            "success",
        )

    @action("deactivate", _l("Deactivate"), _l("Deactivate the selected products?"))
    def action_deactivate(self, ids):
        count = self._set_active(ids, False)
        flash(
            ngettext("%(num)d product deactivated.", "%(num)d products deactivated.", count),
            "success",
        )
