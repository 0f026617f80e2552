"""Catalogue in the back office: the category tree and products with their variants and images.

Categories and products are saved through `shop.catalog.saving` (slug, descriptions sanitised
with nh3, search data) in `on_model_change`, before Flask-Admin's commit; uploads go through
`store_image` (Pillow verify and re-encode under a random name); stock is shown but never
edited in the form (the inventory service owns it, with a reason: the stock screens, and the
editor's "add stock" bulk action for staff who may receive goods).

The product editor (issue 19.2, templates under admin/catalog/) is one Flask-Admin form in
sections: the variants are Flask-Admin's inline sub-forms drawn as a table (a blank new row is
ignored, so a page without JavaScript can add one variant per save), the images' order, alt
texts and colours are plain inputs read in `apply_changes`, in the same transaction as the
product. Bulk actions on selected variants are a second form posting to `variants_bulk`.
"""

from decimal import Decimal

from flask import abort, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.form import InlineFormAdmin
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    DecimalField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, StopValidation, ValidationError

from admin.base import (
    MANAGERS,
    WAREHOUSE,
    StaffModelView,
    audit_record,
    client_ip,
    current_actor,
    form_problems,
    has_any_role,
    parse_ids,
)
from admin.filters import ParentCategoryFilter
from admin.search import contains_word
from shop.audit import services as audit
from shop.catalog import saving, seo
from shop.catalog import services as catalogue
from shop.catalog.images import remove_image_files, store_image
from shop.catalog.models import (
    Category,
    Product,
    ProductImage,
    ProductVariant,
)
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


# --- the product editor's pieces (issue 19.2) ------------------------------------------------

# Numeric(12, 2): the largest amount a price column holds.
MAX_PRICE = Decimal("9999999999.99")
MAX_STOCK_STEP = 100_000
# The inputs of a variant row; a new row with all of them empty is no variant (ignored).
VARIANT_INPUTS = ("sku", "size", "colour", "price", "old_price", "weight_grams")
ALT_LENGTH = 200


def category_choices() -> list[dict]:
    """Every category in tree order (parents first, siblings by position): its id, depth, name
    in the reader's language, full path ("Одежда › Куртки") and the words a filter matches."""
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.id))
    children: dict = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    choices, seen = [], set()
    stack = [(c, 0, ()) for c in reversed(children.get(None, []))]
    while stack:
        category, depth, trail = stack.pop()
        if category.id in seen:  # a loop in the tree (refused on save) must not hang the page
            continue
        seen.add(category.id)
        trail = (*trail, category.name)
        words = [category.name_ru, category.name_en or ""]
        choices.append(
            {
                "id": category.id,
                "depth": depth,
                "name": category.name,
                "path": " › ".join(trail),
                "search": " ".join([*trail, *words]).lower(),
                "active": category.active,
            }
        )
        stack.extend((c, depth + 1, trail) for c in reversed(children.get(category.id, [])))
    return choices


def editor_strings() -> dict:
    """The words admin_editor.js says, in the reader's language (placeholders left for it)."""
    return {
        "hasErrors": _("(has errors)"),
        "categoriesFound": _("Categories found: %(num)s"),
        "moveUp": _("Move image %(num)s up"),
        "moveDown": _("Move image %(num)s down"),
        "imageMoved": _("Image moved to position %(num)s of %(total)s."),
        "toolbar": _("Formatting: %(field)s"),
        "bold": _("Bold"),
        "italic": _("Italic"),
        "heading": _("Heading"),
        "bulletList": _("Bulleted list"),
        "numberList": _("Numbered list"),
        "link": _("Link"),
        "unlink": _("Remove link"),
        "linkAddress": _("Link address"),
        "apply": _("Apply"),
        "cancel": _("Cancel"),
        "badLink": _("A link must start with https://, http:// or mailto:."),
        "seoCount": _("Characters: %(num)s (search engines show about %(max)s)."),
        "seoTooLong": _("Longer than search engines show: the end may be cut."),
    }


def variant_colours(product) -> list[str]:
    """The distinct colours of a product's variants, in the variants' order."""
    colours = []
    for variant in getattr(product, "variants", None) or ():
        if variant.colour and variant.colour not in colours and variant not in db.session.deleted:
            colours.append(variant.colour)
    return colours


def new_variant_row(variants, index):
    """An empty variant sub-form numbered `index` (as the form list would add it): the blank
    row at the table's end, and with "__index__" the template admin_editor.js copies."""
    options = {
        "name": f"{variants.name}{variants._separator}{index}",
        "id": f"{variants.id}{variants._separator}{index}",
        "_meta": variants.meta,
        "translations": variants._translations,
    }
    entry = variants.meta.bind_field(variants._form, variants.unbound_field, options)
    entry.process(None)
    return entry


def _blank_new_row(entry) -> bool:
    if entry.get_pk() not in (None, ""):  # a new row posts its empty hidden id
        return False
    fields = entry.form
    return all(not (getattr(fields, name).raw_data or [""])[0].strip() for name in VARIANT_INPUTS
               if hasattr(fields, name))


def read_image_changes(product, form) -> dict:
    """The order, alt texts and colour of each of the product's images as posted, checked:
    {image: {column: value}} for what changed. An image whose inputs were not posted keeps its
    values. Raises ValidationError naming the image (its place in the list) and the problem."""
    allowed = set(variant_colours(product))
    wanted, changes = [], {}
    for number, image in enumerate(product.images, 1):
        key = f"image-{image.id}-"
        if key + "position" not in form:
            wanted.append((image.position, number, image))
            continue
        raw = form.get(key + "position", "").strip()
        try:
            position = int(raw)
        except ValueError:
            raise ValidationError(
                _("Image %(num)d: the position must be a whole number.", num=number)
            ) from None
        if not 1 <= position <= 9999:
            raise ValidationError(
                _("Image %(num)d: the position must be between 1 and 9999.", num=number)
            )
        wanted.append((position, number, image))
        values = {}
        for column in ("alt_ru", "alt_en"):
            text = " ".join(form.get(key + column, "").split())
            if len(text) > ALT_LENGTH:
                raise ValidationError(
                    _(
                        "Image %(num)d: the description is longer than %(max)d characters.",
                        num=number,
                        max=ALT_LENGTH,
                    )
                )
            values[column] = text or None
        colour = form.get(key + "colour", "").strip() or None
        if colour is not None and colour not in allowed and colour != image.colour:
            raise ValidationError(
                _("Image %(num)d: no variant of this product has that colour.", num=number)
            )
        values["colour"] = colour
        changes[image] = values
    for index, (_position, _number, image) in enumerate(sorted(wanted, key=lambda w: w[:2])):
        changes.setdefault(image, {})["position"] = index
    return {
        image: {k: v for k, v in values.items() if getattr(image, k) != v}
        for image, values in changes.items()
        if any(getattr(image, k) != v for k, v in values.items())
    }


class MetaText:
    """A search-engine title or description (the SEO tab): stored as `shop.catalog.seo` says,
    squeezed plain text of at most `limit` characters, None when empty (the page's fallback)."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, form, field):
        try:
            field.data = seo.clean_meta(field.data, self.limit)
        except ValidationFailed as exc:
            # Stop: the column's own Length check would say the same again, less clearly.
            raise StopValidation(str(exc.message)) from None


def seo_fallbacks(model) -> dict:
    """What the product page shows per language when a meta field is left empty (the SEO
    tab's preview): the name, and the first words of the description, as the page picks them."""
    if model is None:
        return {lang: {"title": "", "description": ""} for lang in ("ru", "en")}
    result = {}
    for lang in ("ru", "en"):
        title = getattr(model, f"name_{lang}", None) or model.name_ru or ""
        description = getattr(model, f"description_{lang}", None) or model.description_ru
        result[lang] = {"title": title, "description": seo.summary_of(description) or title}
    return result


class VariantBulkForm(FlaskForm):
    """What to do with the variants ticked in the editor's table (their ids: `variant_id`)."""

    bulk_action = SelectField(
        _l("With the selected variants"),
        choices=[
            ("set_price", _l("Set the price")),
            ("add_stock", _l("Add stock (goods received)")),
            ("activate", _l("Activate")),
            ("deactivate", _l("Deactivate")),
        ],
    )
    bulk_price = DecimalField(
        _l("New price"), places=2, validators=[Optional(), NumberRange(min=0, max=MAX_PRICE)]
    )
    bulk_quantity = IntegerField(
        _l("Units to add"), validators=[Optional(), NumberRange(min=1, max=MAX_STOCK_STEP)]
    )
    bulk_note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class ProductView(OptionalSlugMixin, StaffModelView):
    allowed_roles = MANAGERS
    edit_template = "admin/catalog/product_edit.html"
    create_template = "admin/catalog/product_create.html"
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
        "meta_title_ru": _l("Title for search engines (ru)"),
        "meta_title_en": _l("Title for search engines (en)"),
        "meta_description_ru": _l("Description for search engines (ru)"),
        "meta_description_en": _l("Description for search engines (en)"),
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
        *seo.META_FIELDS,
        "active",
        "featured",
        "vat_rate",
        "new_image",
        "variants",
    )
    # The VAT inside the product's prices (54-FZ receipts, "including VAT" lines).
    form_choices = {"vat_rate": [(rate.value, rate.label) for rate in VatRate]}
    form_overrides = {
        "description_ru": TextAreaField,
        "description_en": TextAreaField,
        "meta_description_ru": TextAreaField,
        "meta_description_en": TextAreaField,
    }
    form_args = {name: {"validators": [MetaText(limit)]} for name, limit in seo.META_LIMITS.items()}
    form_extra_fields = {
        "new_image": MultipleFileField(
            _l("Add images"),
            description=_l("JPEG, PNG, WebP or GIF, up to 5 MB each; several at once."),
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
        if template in (self.edit_template, self.create_template):
            model = kwargs.get("model")
            kwargs["category_choices"] = category_choices()
            kwargs["image_colours"] = variant_colours(model)
            kwargs["bulk_form"] = VariantBulkForm(formdata=None)
            kwargs["editor_strings"] = editor_strings()
            kwargs["seo_fallbacks"] = seo_fallbacks(model)
            kwargs["seo_shown"] = {"title": seo.SHOWN_TITLE, "description": seo.SHOWN_DESCRIPTION}
            kwargs["seo_limits"] = seo.META_LIMITS
            kwargs["existing_variants"] = {
                str(v.id): v for v in getattr(model, "variants", None) or () if v.id
            }
            variants = kwargs["form"].variants
            kwargs["blank_variant"] = new_variant_row(variants, variants.last_index + 1)
            kwargs["variant_template"] = new_variant_row(variants, "__index__")
            kwargs["known_colours"] = sorted(
                set(db.session.scalars(select(ProductVariant.colour).distinct())) - {None, ""}
            )
        return super().render(template, **kwargs)

    def validate_form(self, form):
        # A new variant row left blank (the page without JavaScript always offers one) is no
        # variant: dropped before validation, so it neither fails nor saves.
        variants = getattr(form, "variants", None)
        if request.method == "POST" and variants is not None:
            variants.entries = [e for e in variants.entries if not _blank_new_row(e)]
        return super().validate_form(form)

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
            if variant.old_price is not None and variant.old_price < 0:
                raise ValidationError(_("A price cannot be negative."))
            if variant.stock is None:
                variant.stock = 0
        saving.save_product(model)  # slug, sanitised descriptions, search data (with SKUs)
        changes = read_image_changes(model, request.form)
        for image, values in changes.items():
            before = {key: getattr(image, key) for key in values}
            for key, value in values.items():
                setattr(image, key, value)
            if image.id is not None:
                audit_record("update", "ProductImage", image.id, before=before, after=values)
        self._store_uploads(model)

    def _store_uploads(self, model):
        uploads = [u for u in request.files.getlist("new_image") if u is not None and u.filename]
        position = max((i.position for i in model.images), default=-1)
        for upload in uploads:
            data = upload.read(MAX_IMAGE_BYTES + 1)
            if len(data) > MAX_IMAGE_BYTES:
                raise ValidationError(
                    _("%(file)s: the image is larger than 5 MB.", file=upload.filename)
                )
            try:
                filename, width, height = store_image(data)
            except ValidationFailed as exc:
                raise ValidationError(f"{upload.filename}: {exc.message}") from exc
            position += 1
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
            abort(403)
        try:
            product_id = catalogue.delete_image(image_id, actor=current_actor(), ip=client_ip())
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(url_for(".index_view"))
        flash(_("The image was removed."), "success")
        return redirect(url_for(".edit_view", id=product_id, _anchor="section-images"))

    # --- bulk actions on a product's variants --------------------------------------------

    @expose("/<int:product_id>/variants", methods=["POST"])
    def variants_bulk(self, product_id):
        """Set the price, add stock, activate or deactivate the ticked variants of one product:
        all of them or none (one transaction), each change in the audit log."""
        if not self.can_edit:
            abort(403)
        product = self.get_one(str(product_id))
        if product is None:
            abort(404)
        back = redirect(url_for(".edit_view", id=product.id, _anchor="section-variants"))
        form = VariantBulkForm()
        if not form.validate_on_submit():
            problems = list(form_problems(form))
            flash(_("Not saved. Please correct: %(problems)s", problems="; ".join(problems))
                  if problems else _("Not saved: the form has expired, please try again."),
                  "error")
            return back
        action_name = form.bulk_action.data
        if action_name == "add_stock" and not has_any_role(*WAREHOUSE):
            abort(403)  # stock is the warehouse's: managers see no such choice
        ids = set(parse_ids(request.form.getlist("variant_id")))
        variants = sorted((v for v in product.variants if v.id in ids), key=lambda v: v.id)
        if not variants:
            flash(_("Tick at least one variant of this product first."), "error")
            return back
        try:
            if action_name == "add_stock":
                if form.bulk_quantity.data is None:
                    raise ValidationFailed(_l("Say how many units to add."))
                catalogue.receive_stock(variants, form.bulk_quantity.data, form.bulk_note.data,
                                        actor=current_actor(), ip=client_ip())
            elif action_name == "set_price":
                if form.bulk_price.data is None:
                    raise ValidationFailed(_l("Say which price to set."))
                catalogue.update_variants(variants, {"price": form.bulk_price.data},
                                          actor=current_actor(), ip=client_ip())
            else:
                catalogue.update_variants(variants, {"active": action_name == "activate"},
                                          actor=current_actor(), ip=client_ip())
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
            return back
        flash(
            ngettext("%(num)d variant changed.", "%(num)d variants changed.", len(variants)),
            "success",
        )
        return back

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
