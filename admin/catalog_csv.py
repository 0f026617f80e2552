"""CSV import and export of products and variants, keyed by SKU.

Import is two steps: `plan_import` reads the file and says, row by row, what would be created or
changed and which rows are wrong (with their line numbers), touching nothing; `apply_import`
re-reads the same text, refuses if anything is wrong, and applies every row in one transaction.
Stock in the file is reached through the inventory service (`apply_delta`), so every change is a
StockMovement like any other.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from admin.csvutil import FORMULA_START, csv_bytes
from shop.catalog.models import Category, Product, ProductVariant
from shop.catalog.sanitize import clean_html
from shop.core.errors import ValidationFailed
from shop.extensions import db
from shop.inventory.models import StockReason

COLUMNS = (
    "sku",
    "product_slug",
    "category_slug",
    "name_ru",
    "name_en",
    "brand",
    "description_ru",
    "description_en",
    "product_active",
    "size",
    "colour",
    "price",
    "old_price",
    "weight_grams",
    "active",
    "stock",
)
REQUIRED_COLUMNS = ("sku", "product_slug")
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10000
TRUE = {"1", "true", "yes", "y", "да", "д", "+"}
FALSE = {"0", "false", "no", "n", "нет", "н", "-"}


class ImportRefused(ValidationFailed):
    message = _l("The file has errors: nothing was imported.")


@dataclass
class RowPlan:
    line: int
    sku: str
    action: str  # "create", "update" or "unchanged"
    product_action: str  # "create", "update", "unchanged"
    changes: dict = field(default_factory=dict)  # name -> (old, new)
    product_slug: str = ""
    values: dict = field(default_factory=dict)
    product_values: dict = field(default_factory=dict)
    stock: int | None = None


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def new_products(self) -> int:
        return len({r.product_slug for r in self.rows if r.product_action == "create"})


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a BOM), or Windows-1251 as Excel saves it."""
    if len(data) > MAX_CSV_BYTES:
        raise ValidationFailed(_l("The file is larger than 2 MB."))
    if b"\x00" in data:
        raise ValidationFailed(_l("This is not a CSV text file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(_l("The file is not in UTF-8.")) from exc


GUARD = "'"


def _looks_guarded(cell: str) -> bool:
    # "'=x", and "''=x" (an export of the value "'=x", see _guard_apostrophe)
    return cell.startswith(GUARD) and cell.lstrip(GUARD).startswith(FORMULA_START)


def unguard(cell: str) -> str:
    """A cell without the apostrophe the export put before a would-be formula.

    The export (admin.csvutil.safe_cell) writes "=SUM(A1)" as "'=SUM(A1)" so that a spreadsheet
    shows it as text; read back unchanged, the file must give "=SUM(A1)" again, not a name with
    an apostrophe. Only that guard is removed, one apostrophe: an apostrophe before anything
    else ("'123", Excel's number kept as text) is data.
    """
    return cell[1:] if _looks_guarded(cell) else cell


def _guard_apostrophe(value):
    """A value that itself looks guarded ("'=x") gets one more apostrophe on export, so that
    `unguard` gives back exactly the value."""
    if isinstance(value, str) and _looks_guarded(value):
        return GUARD + value
    return value


def _reader(text: str):
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _bool(value: str, line_errors: list, name: str):
    v = value.strip().lower()
    if v in TRUE:
        return True
    if v in FALSE:
        return False
    line_errors.append(
        _("%(column)s must be yes or no, not “%(value)s”.", column=name, value=value)
    )
    return None


def _money(value: str, line_errors: list, name: str):
    try:
        amount = Decimal(value.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        line_errors.append(
            _("%(column)s must be an amount of money, not “%(value)s”.", column=name, value=value)
        )
        return None
    return amount.quantize(Decimal("0.01"))


def _whole(value: str, line_errors: list, name: str):
    try:
        number = int(value.strip())
    except ValueError:
        line_errors.append(
            _("%(column)s must be a whole number, not “%(value)s”.", column=name, value=value)
        )
        return None
    if number < 0:
        line_errors.append(
            _("%(column)s cannot be negative (“%(value)s”).", column=name, value=value.strip())
        )
        return None
    if number > 10_000_000:
        line_errors.append(
            _("%(column)s is too large (“%(value)s”).", column=name, value=value.strip())
        )
        return None
    return number


# An empty cell, or a column left out of the file, keeps the current value; this marker in a
# cell of an optional column clears it (the import page says so). Only a bare one: the export
# writes a value "-" as "'-" (its formula guard), which reads back as the value.
CLEAR = "-"
CLEARABLE_VARIANT = {"size": None, "colour": None, "old_price": _money, "weight_grams": _whole}
CLEARABLE_PRODUCT = ("name_en", "brand", "description_ru", "description_en")


def _optional_values(cells: dict, cleared: set, errors: list) -> dict:
    """The variant's optional columns this row sets: empty or absent = keep, CLEAR = clear."""
    values = {}
    for name, parse in CLEARABLE_VARIANT.items():
        raw = cells.get(name, "").strip()
        if not raw:
            continue
        if name in cleared:
            values[name] = None
        else:
            values[name] = parse(raw, errors, name) if parse else raw
    return values


LIMITS = {
    "sku": 64,
    "product_slug": 160,
    "name_ru": 200,
    "name_en": 200,
    "brand": 80,
    "size": 32,
    "colour": 32,
}


def plan_import(text: str) -> ImportPlan:
    """Read CSV text and say what importing it would do. Writes nothing."""
    plan = ImportPlan()
    rows = list(_reader(text))
    if not rows:
        plan.errors.append((1, _("The file is empty.")))
        return plan
    header = [unguard(h.strip().lower().lstrip("\ufeff")) for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        plan.errors.append((1, _("Missing columns: %(columns)s.", columns=", ".join(missing))))
        return plan
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        plan.errors.append((1, _("Unknown columns: %(columns)s.", columns=", ".join(unknown))))
        return plan
    if len(rows) - 1 > MAX_ROWS:
        plan.errors.append((1, _("At most %(num)d rows can be imported at once.", num=MAX_ROWS)))
        return plan

    data_rows = []
    for index, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) > len(header):
            plan.errors.append((index, _("The row has more cells than the header.")))
            continue
        cells = {header[i]: unguard(raw[i]) for i in range(len(raw)) if header[i]}
        cleared = {header[i] for i in range(len(raw)) if header[i] and raw[i].strip() == CLEAR}
        data_rows.append((index, cells, cleared))

    skus = [c.get("sku", "").strip() for _i, c, _cleared in data_rows]
    variants = {
        v.sku: v
        for v in db.session.scalars(
            select(ProductVariant)
            .where(ProductVariant.sku.in_([s for s in skus if s]))
            .options(selectinload(ProductVariant.product))
        )
    }
    slugs = {c.get("product_slug", "").strip() for _i, c, _cleared in data_rows}
    products = {
        p.slug: p for p in db.session.scalars(select(Product).where(Product.slug.in_(slugs)))
    }
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    seen_skus: dict[str, int] = {}
    new_product_lines: dict[str, int] = {}

    for line, cells, cleared in data_rows:
        errors: list[str] = []
        sku = cells.get("sku", "").strip()
        slug = cells.get("product_slug", "").strip()
        if not sku:
            errors.append(_("The SKU is empty."))
        elif sku in seen_skus:
            errors.append(
                _("SKU %(sku)s is already on line %(line)d.", sku=sku, line=seen_skus[sku])
            )
        if not slug:
            errors.append(_("The product slug is empty."))
        elif slugify(slug, max_length=160) != slug:
            errors.append(
                _("The product slug may hold only lowercase latin letters, digits and hyphens.")
            )
        for name, limit in LIMITS.items():
            if len(cells.get(name, "").strip()) > limit:
                errors.append(
                    _("%(column)s is longer than %(num)d characters.", column=name, num=limit)
                )

        variant_values: dict = _optional_values(cells, cleared, errors)
        if cells.get("price", "").strip():
            variant_values["price"] = _money(cells["price"], errors, "price")
        if cells.get("active", "").strip():
            variant_values["active"] = _bool(cells["active"], errors, "active")
        stock = None
        if cells.get("stock", "").strip():
            stock = _whole(cells["stock"], errors, "stock")

        product_values: dict = {}
        for name in ("name_ru", "name_en", "brand", "description_ru", "description_en"):
            raw = cells.get(name, "").strip()
            if not raw:
                continue
            if name in cleared and name in CLEARABLE_PRODUCT:
                product_values[name] = None
            elif name.startswith("description_"):
                product_values[name] = clean_html(raw)
            else:
                product_values[name] = raw
        if cells.get("product_active", "").strip():
            product_values["active"] = _bool(cells["product_active"], errors, "product_active")
        category_slug = cells.get("category_slug", "").strip()
        if category_slug:
            category = categories.get(category_slug)
            if category is None:
                errors.append(_("There is no category “%(slug)s”.", slug=category_slug))
            else:
                product_values["category_id"] = category.id

        variant = variants.get(sku)
        product = products.get(slug)
        if variant is not None and variant.product.slug != slug:
            errors.append(
                _(
                    "SKU %(sku)s belongs to product %(slug)s.",
                    sku=sku,
                    slug=variant.product.slug,
                )
            )
        if product is None and slug not in new_product_lines:
            if not product_values.get("name_ru"):
                errors.append(_("A new product needs name_ru."))
            if "category_id" not in product_values:
                errors.append(_("A new product needs an existing category_slug."))
        if variant is None and not cells.get("price", "").strip():
            errors.append(_("A new variant needs a price."))

        if errors:
            plan.errors.extend((line, message) for message in errors)
            if sku:
                seen_skus.setdefault(sku, line)
            continue
        seen_skus[sku] = line

        changes = {}
        if variant is None:
            action = "create"
            changes = {k: (None, v) for k, v in variant_values.items() if v is not None}
        else:
            for key, value in variant_values.items():
                if getattr(variant, key) != value:
                    changes[key] = (getattr(variant, key), value)
            action = "update" if changes else "unchanged"
        if stock is not None:
            old = variant.stock if variant is not None else 0
            if old != stock:
                changes["stock"] = (old, stock)
                if action == "unchanged":
                    action = "update"

        if product is None:
            product_action = "create" if slug not in new_product_lines else "unchanged"
            new_product_lines.setdefault(slug, line)
        else:
            product_changes = {
                k: (getattr(product, k), v)
                for k, v in product_values.items()
                if getattr(product, k) != v
            }
            product_action = "update" if product_changes else "unchanged"
            for key, pair in product_changes.items():
                changes[f"product.{key}"] = pair
            if product_changes and action == "unchanged":
                action = "update"
        plan.rows.append(
            RowPlan(
                line=line,
                sku=sku,
                action=action,
                product_action=product_action,
                changes=changes,
                product_slug=slug,
                values=variant_values,
                product_values=product_values,
                stock=stock,
            )
        )
    plan.errors.sort(key=lambda e: e[0])
    return plan


def apply_import(text: str, actor=None, ip=None) -> ImportPlan:
    """Apply a CSV in one transaction, with its audit entries; commits.

    Raises ImportRefused (with `details["errors"]`) when any row is wrong: nothing is written.
    """
    from shop.audit import services as audit
    from shop.inventory.services import apply_delta

    plan = plan_import(text)
    if not plan.ok:
        raise ImportRefused(errors=plan.errors)
    actor_id = getattr(actor, "id", None)
    try:
        products: dict[str, Product] = {}
        for row in plan.rows:
            product = products.get(row.product_slug) or db.session.scalar(
                select(Product).where(Product.slug == row.product_slug)
            )
            if product is None:
                product = Product(slug=row.product_slug, active=True)
                db.session.add(product)
            for key, value in row.product_values.items():
                setattr(product, key, value)
            products[row.product_slug] = product
            variant = db.session.scalar(select(ProductVariant).where(ProductVariant.sku == row.sku))
            if variant is None:
                variant = ProductVariant(sku=row.sku, stock=0, product=product)
                db.session.add(variant)
            for key, value in row.values.items():
                setattr(variant, key, value)
            db.session.flush()
            if row.stock is not None:
                delta = row.stock - (variant.stock or 0)
                if delta:
                    reason = StockReason.INITIAL if row.action == "create" else StockReason.ADJUST
                    apply_delta(variant.id, delta, reason, actor_id=actor_id, note="CSV import")
                    db.session.expire(variant, ["stock"])
            if row.action != "unchanged":
                audit.record(
                    "import",
                    "ProductVariant",
                    variant.id,
                    before={k: old for k, (old, _new) in row.changes.items()},
                    after={k: new for k, (_old, new) in row.changes.items()},
                    actor=actor,
                    ip=ip,
                )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return plan


def export_products() -> bytes:
    """Every variant with its product's fields, in the import's column order."""
    stmt = (
        select(ProductVariant)
        .join(ProductVariant.product)
        .options(selectinload(ProductVariant.product).selectinload(Product.category))
        .order_by(Product.id, ProductVariant.position, ProductVariant.id)
    )

    def yes(value):
        return "1" if value else "0"

    rows = []
    for v in db.session.scalars(stmt):
        p = v.product
        rows.append(
            [
                v.sku,
                p.slug,
                p.category.slug if p.category else "",
                p.name_ru,
                p.name_en or "",
                p.brand or "",
                p.description_ru or "",
                p.description_en or "",
                yes(p.active),
                v.size or "",
                v.colour or "",
                v.price,
                v.old_price if v.old_price is not None else "",
                v.weight_grams if v.weight_grams is not None else "",
                yes(v.active),
                v.stock,
            ]
        )
    return csv_bytes(COLUMNS, [[_guard_apostrophe(cell) for cell in row] for row in rows])
