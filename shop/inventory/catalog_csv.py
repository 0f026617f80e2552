"""Products and variants to and from CSV, keyed by SKU: the back office's bulk editing.

Import is two steps. `plan_import` reads the text and says, row by row, what would be created or
changed and which rows are wrong (with their line numbers), writing nothing. `apply_import` makes
the same plan inside its own transaction and writes exactly that plan, every row or none: the
preview and the import share one path, so the dry run shows what applying does.

Reading is split in three: `read_table` checks the header (known columns, the required ones, the
row limit) and cuts the rows into cells; `parse_row` turns one row into a `ParsedRow` (typed
values and the row's own errors, no database); `plan_import` compares the parsed rows with the
catalogue, loaded once (variants by SKU, products by slug, categories), into `RowPlan`s. A
RowPlan keeps the variant and product it was compared with, and `apply_import` writes through
them instead of loading every row again.

The file's conventions (the import page tells staff): an empty cell or a column left out keeps
the value; a single "-" clears an optional column; the export's formula guard (an apostrophe
before = + - @) is read back as the guard, not as data.

Stock in the file goes through the inventory service (`apply_delta`), so every change is a
StockMovement like any other. That is why this module lives in inventory and not in catalog:
the catalogue is a layer below inventory (docs/architecture.md), and an import that sets stock
stands above both, as django-oscar's CatalogueImporter lives in `partner`, its app of stock
records.
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

from shop.audit import services as audit
from shop.catalog import saving
from shop.catalog.models import Category, Product, ProductVariant, refresh_summaries
from shop.catalog.sanitize import clean_html
from shop.catalog.seo import META_LIMITS, clean_meta
from shop.core.csvfiles import FORMULA_START, csv_bytes
from shop.core.errors import ValidationFailed
from shop.core.vat import VatRate, as_rate
from shop.extensions import db
from shop.inventory import services as inventory
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
    "meta_title_ru",
    "meta_title_en",
    "meta_description_ru",
    "meta_description_en",
    "product_active",
    "vat_rate",
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
LIMITS = {
    "sku": 64,
    "product_slug": 160,
    "name_ru": 200,
    "name_en": 200,
    "brand": 80,
    "size": 32,
    "colour": 32,
}
PRODUCT_TEXTS = ("name_ru", "name_en", "brand", "description_ru", "description_en")
SEARCHED = {"name_ru", "name_en", "description_ru", "description_en", "category_id"}


class ImportRefused(ValidationFailed):
    """A file with at least one wrong row: `details["errors"]` lists them as (line, message),
    `details["plan"]` is the whole plan, for showing the preview again."""

    message = _l("The file has errors: nothing was imported.")


# --- Plans ----------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """What importing one good row does."""

    line: int
    sku: str
    action: str  # "create", "update" or "unchanged"
    product_action: str  # "create", "update", "unchanged"
    changes: dict = field(default_factory=dict)  # name -> (old, new)
    product_slug: str = ""
    values: dict = field(default_factory=dict)
    product_values: dict = field(default_factory=dict)
    stock: int | None = None
    # What the plan compared the row with (None: to be created), for the apply step to write to.
    variant: ProductVariant | None = field(default=None, repr=False, compare=False)
    product: Product | None = field(default=None, repr=False, compare=False)


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


# --- Text and formula guards ----------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a BOM), or Windows-1251 as Excel saves it.

    Raises ValidationFailed for a file over 2 MB, a binary file, or text in neither encoding.
    """
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

    The export (shop.core.csvfiles.safe_cell) writes "=SUM(A1)" as "'=SUM(A1)" so that a
    spreadsheet shows it as text; read back unchanged, the file must give "=SUM(A1)" again, not
    a name with an apostrophe. Only that guard is removed, one apostrophe: an apostrophe before
    anything else ("'123", Excel's number kept as text) is data.
    """
    return cell[1:] if _looks_guarded(cell) else cell


def _guard_apostrophe(value):
    """A value that itself looks guarded ("'=x") gets one more apostrophe on export, so that
    `unguard` gives back exactly the value."""
    if isinstance(value, str) and _looks_guarded(value):
        return GUARD + value
    return value


# --- Step 1: the table ----------------------------------------------------------------------


@dataclass
class RawRow:
    """One non-blank data row: its line in the file and its cells by column name."""

    line: int
    cells: dict[str, str]  # column -> text, the export's guard removed
    cleared: set[str]  # columns whose cell is the bare CLEAR marker


def _reader(text: str):
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _header_problem(header: list[str], data_rows: int) -> str | None:
    """Why a file with this header (and this many rows after it) cannot be read, or None."""
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return _("Missing columns: %(columns)s.", columns=", ".join(missing))
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        return _("Unknown columns: %(columns)s.", columns=", ".join(unknown))
    if data_rows > MAX_ROWS:
        return _("At most %(num)d rows can be imported at once.", num=MAX_ROWS)
    return None


def read_table(text: str) -> tuple[list[RawRow], list[tuple[int, str]]]:
    """The data rows of CSV text, and (line, message) errors.

    A header the import cannot use gives one error on line 1 and no rows; a row with more cells
    than the header is an error of its own line. Blank rows are skipped.
    """
    rows = list(_reader(text))
    if not rows:
        return [], [(1, _("The file is empty."))]
    header = [unguard(h.strip().lower().lstrip("\ufeff")) for h in rows[0]]
    problem = _header_problem(header, len(rows) - 1)
    if problem is not None:
        return [], [(1, problem)]
    table, errors = [], []
    for line, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) > len(header):
            errors.append((line, _("The row has more cells than the header.")))
            continue
        named = [(header[i], cell) for i, cell in enumerate(raw) if header[i]]
        table.append(
            RawRow(
                line=line,
                cells={name: unguard(cell) for name, cell in named},
                cleared={name for name, cell in named if cell.strip() == CLEAR},
            )
        )
    return table, errors


# --- Step 2: one row ------------------------------------------------------------------------


def _bool(value: str, errors: list, name: str):
    v = value.strip().lower()
    if v in TRUE:
        return True
    if v in FALSE:
        return False
    errors.append(_("%(column)s must be yes or no, not “%(value)s”.", column=name, value=value))
    return None


def _money(value: str, errors: list, name: str):
    try:
        amount = Decimal(value.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        errors.append(
            _("%(column)s must be an amount of money, not “%(value)s”.", column=name, value=value)
        )
        return None
    return amount.quantize(Decimal("0.01"))


# How a VAT rate may be written in the file: its stored value ("22", "10", "0", "none"), with
# or without "%", or the words of the export's readers.
VAT_WORDS = {"without vat": VatRate.NONE, "без ндс": VatRate.NONE, "no vat": VatRate.NONE}


def _vat_rate(value: str, errors: list):
    text = " ".join(value.strip().lower().replace("%", "").split())
    try:
        return VatRate(text).value
    except ValueError:
        pass
    if text in VAT_WORDS:
        return VAT_WORDS[text].value
    errors.append(_("vat_rate must be 22, 10, 0 or none, not “%(value)s”.", value=value))
    return None


def _whole(value: str, errors: list, name: str):
    try:
        number = int(value.strip())
    except ValueError:
        errors.append(
            _("%(column)s must be a whole number, not “%(value)s”.", column=name, value=value)
        )
        return None
    if number < 0:
        errors.append(
            _("%(column)s cannot be negative (“%(value)s”).", column=name, value=value.strip())
        )
        return None
    if number > 10_000_000:
        errors.append(
            _("%(column)s is too large (“%(value)s”).", column=name, value=value.strip())
        )
        return None
    return number


# An empty cell, or a column left out of the file, keeps the current value; this marker in a
# cell of an optional column clears it (the import page says so). Only a bare one: the export
# writes a value "-" as "'-" (its formula guard), which reads back as the value.
CLEAR = "-"
CLEARABLE_VARIANT = {"size": None, "colour": None, "old_price": _money, "weight_grams": _whole}
CLEARABLE_PRODUCT = ("name_en", "brand", "description_ru", "description_en", *META_LIMITS)


@dataclass
class ParsedRow:
    """One row read into typed values, before it is compared with the catalogue.

    `values` and `product_values` hold only what the row sets (None: clear it); `errors` are
    the row's own problems (a bad number, an unknown category), in the order staff read them.
    """

    line: int
    sku: str
    product_slug: str
    values: dict
    product_values: dict
    stock: int | None
    has_price: bool
    errors: list[str]


def _cell(cells: dict, name: str) -> str:
    return cells.get(name, "").strip()


def _key_errors(sku: str, slug: str, cells: dict) -> list[str]:
    errors = []
    if not sku:
        errors.append(_("The SKU is empty."))
    if not slug:
        errors.append(_("The product slug is empty."))
    elif slugify(slug, max_length=160) != slug:
        errors.append(
            _("The product slug may hold only lowercase latin letters, digits and hyphens.")
        )
    for name, limit in LIMITS.items():
        if len(_cell(cells, name)) > limit:
            errors.append(
                _("%(column)s is longer than %(num)d characters.", column=name, num=limit)
            )
    return errors


def _variant_values(raw: RawRow, errors: list) -> dict:
    """The variant's columns this row sets: empty or absent = keep, CLEAR = clear."""
    values = {}
    for name, parse in CLEARABLE_VARIANT.items():
        text = _cell(raw.cells, name)
        if not text:
            continue
        if name in raw.cleared:
            values[name] = None
        else:
            values[name] = parse(text, errors, name) if parse else text
    if _cell(raw.cells, "price"):
        values["price"] = _money(raw.cells["price"], errors, "price")
    if _cell(raw.cells, "active"):
        values["active"] = _bool(raw.cells["active"], errors, "active")
    return values


def _product_values(raw: RawRow, categories: dict, errors: list) -> dict:
    """The product's columns this row sets, the category named by its slug."""
    values: dict = {}
    for name in PRODUCT_TEXTS:
        text = _cell(raw.cells, name)
        if not text:
            continue
        if name in raw.cleared and name in CLEARABLE_PRODUCT:
            values[name] = None
        elif name.startswith("description_"):
            values[name] = clean_html(text)
        else:
            values[name] = text
    # Search-engine titles and descriptions: plain text, as the editor's SEO tab keeps them.
    for name, limit in META_LIMITS.items():
        text = _cell(raw.cells, name)
        if not text:
            continue
        if name in raw.cleared:
            values[name] = None
            continue
        try:
            cleaned = clean_meta(text, limit)
        except ValidationFailed as exc:
            errors.append(_("%(column)s: %(problem)s", column=name, problem=str(exc.message)))
            continue
        if cleaned is not None:  # a cell of control characters only is an empty cell: kept
            values[name] = cleaned
    if _cell(raw.cells, "product_active"):
        values["active"] = _bool(raw.cells["product_active"], errors, "product_active")
    if _cell(raw.cells, "vat_rate"):
        values["vat_rate"] = _vat_rate(raw.cells["vat_rate"], errors)
    category_slug = _cell(raw.cells, "category_slug")
    if category_slug:
        category = categories.get(category_slug)
        if category is None:
            errors.append(_("There is no category “%(slug)s”.", slug=category_slug))
        else:
            values["category_id"] = category.id
    return values


def parse_row(raw: RawRow, categories: dict[str, Category]) -> ParsedRow:
    """Read one row's cells into values, collecting its errors. Touches no database:
    `categories` maps the slugs a row may name to their categories."""
    sku = _cell(raw.cells, "sku")
    slug = _cell(raw.cells, "product_slug")
    errors = _key_errors(sku, slug, raw.cells)
    values = _variant_values(raw, errors)
    stock = _whole(raw.cells["stock"], errors, "stock") if _cell(raw.cells, "stock") else None
    product_values = _product_values(raw, categories, errors)
    return ParsedRow(
        line=raw.line,
        sku=sku,
        product_slug=slug,
        values=values,
        product_values=product_values,
        stock=stock,
        has_price=bool(_cell(raw.cells, "price")),
        errors=errors,
    )


# --- Step 3: the diff against the catalogue -------------------------------------------------


@dataclass
class _Catalogue:
    """The rows a file names, loaded once for the plan and the apply step."""

    variants: dict[str, ProductVariant]
    products: dict[str, Product]


def _load(rows: list[ParsedRow]) -> _Catalogue:
    skus = [r.sku for r in rows if r.sku]
    slugs = {r.product_slug for r in rows}
    variants = db.session.scalars(
        select(ProductVariant)
        .where(ProductVariant.sku.in_(skus))
        .options(selectinload(ProductVariant.product))
    )
    products = db.session.scalars(select(Product).where(Product.slug.in_(slugs)))
    return _Catalogue(
        variants={v.sku: v for v in variants}, products={p.slug: p for p in products}
    )


class _Context:
    """What earlier rows of the file said: SKUs seen, products the file creates (by slug and
    the first line naming them)."""

    def __init__(self):
        self.seen_skus: dict[str, int] = {}
        self.new_products: dict[str, int] = {}


def _catalogue_errors(row: ParsedRow, variant, product, context: _Context) -> list[str]:
    """The row's errors with those that depend on the catalogue and on earlier rows."""
    errors = list(row.errors)
    if row.sku in context.seen_skus:
        duplicate = _("SKU %(sku)s is already on line %(line)d.", sku=row.sku,
                      line=context.seen_skus[row.sku])
        errors.insert(0, duplicate)  # where "The SKU is empty." would stand
    if variant is not None and variant.product.slug != row.product_slug:
        errors.append(
            _("SKU %(sku)s belongs to product %(slug)s.", sku=row.sku, slug=variant.product.slug)
        )
    if product is None and row.product_slug not in context.new_products:
        if not row.product_values.get("name_ru"):
            errors.append(_("A new product needs name_ru."))
        if "category_id" not in row.product_values:
            errors.append(_("A new product needs an existing category_slug."))
    if variant is None and not row.has_price:
        errors.append(_("A new variant needs a price."))
    return errors


def _diff(row: ParsedRow, variant, product, context: _Context) -> RowPlan:
    """The plan of a good row: each value it changes as (old, new), and what that makes of the
    variant and of its product."""
    if variant is None:
        action = "create"
        changes = {k: (None, v) for k, v in row.values.items() if v is not None}
    else:
        changes = {
            k: (getattr(variant, k), v) for k, v in row.values.items() if getattr(variant, k) != v
        }
        action = "update" if changes else "unchanged"
    if row.stock is not None:
        old = variant.stock if variant is not None else 0
        if old != row.stock:
            changes["stock"] = (old, row.stock)
    if product is None:
        product_action = "create" if row.product_slug not in context.new_products else "unchanged"
        context.new_products.setdefault(row.product_slug, row.line)
    else:
        product_changes = {
            k: (getattr(product, k), v)
            for k, v in row.product_values.items()
            if getattr(product, k) != v
        }
        product_action = "update" if product_changes else "unchanged"
        changes.update((f"product.{k}", pair) for k, pair in product_changes.items())
    if changes and action == "unchanged":
        action = "update"
    return RowPlan(
        line=row.line,
        sku=row.sku,
        action=action,
        product_action=product_action,
        changes=changes,
        product_slug=row.product_slug,
        values=row.values,
        product_values=row.product_values,
        stock=row.stock,
        variant=variant,
        product=product,
    )


def plan_import(text: str) -> ImportPlan:
    """Read CSV text and say what importing it would do. Writes nothing; raises nothing (every
    problem of the file is an entry of the plan's `errors`)."""
    table, errors = read_table(text)
    plan = ImportPlan(errors=errors)
    if not table:
        return plan
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    parsed = [parse_row(raw, categories) for raw in table]
    catalogue = _load(parsed)
    context = _Context()
    for row in parsed:
        variant = catalogue.variants.get(row.sku)
        product = catalogue.products.get(row.product_slug)
        row_errors = _catalogue_errors(row, variant, product, context)
        if row.sku:
            context.seen_skus.setdefault(row.sku, row.line)
        if row_errors:
            plan.errors.extend((row.line, message) for message in row_errors)
        else:
            plan.rows.append(_diff(row, variant, product, context))
    plan.errors.sort(key=lambda e: e[0])
    return plan


# --- Applying -------------------------------------------------------------------------------


def apply_import(text: str, actor=None, ip=None) -> ImportPlan:
    """Plan `text` and write that plan in one transaction, with an audit entry per variant it
    creates or changes; commits. Returns the plan.

    Stock cells go through `shop.inventory.services.apply_delta` (a StockMovement each: initial
    stock for a new variant, a correction otherwise). Raises ImportRefused (`details["errors"]`
    and `details["plan"]`) when any row is wrong, and whatever the stock service or the
    database raise half-way (InsufficientStock when an order took units meanwhile); nothing is
    written then.
    """
    try:
        plan = plan_import(text)
        if not plan.ok:
            raise ImportRefused(errors=plan.errors, plan=plan)
        _write(plan, actor=actor, ip=ip)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return plan


def _write(plan: ImportPlan, actor=None, ip=None) -> None:
    """Write every row of a good plan (no commit), through the objects the plan loaded."""
    created: dict[str, Product] = {}
    written = []
    for row in plan.rows:
        product = row.product or created.get(row.product_slug)
        if product is None:
            product = created[row.product_slug] = Product(slug=row.product_slug, active=True)
            db.session.add(product)
        for key, value in row.product_values.items():
            if key in saving.DESCRIPTIONS:
                saving.assign_clean(product, key, value)  # cleaned once, by parse_row
            else:
                setattr(product, key, value)
        variant = row.variant
        if variant is None:
            variant = ProductVariant(sku=row.sku, stock=0, product=product)
            db.session.add(variant)
        for key, value in row.values.items():
            setattr(variant, key, value)
        written.append((row, variant))
    # Saved: a product that is new, gains a SKU or changes a searched column (a price, stock or
    # flag alone changes nothing searched, and must not cost a reload of its variants).
    changed = {
        id(variant.product): variant.product
        for row, variant in written
        if "create" in (row.action, row.product_action) or SEARCHED.intersection(row.product_values)
    }
    for product in changed.values():
        saving.save_product(product)
    db.session.flush()  # ids for the ledger and the audit log

    touched: set[int] = set()
    for row, variant in written:
        delta = 0 if row.stock is None else row.stock - (variant.stock or 0)
        if delta:
            reason = StockReason.INITIAL if row.action == "create" else StockReason.ADJUST
            inventory.apply_delta(
                variant.id,
                delta,
                reason,
                actor_id=getattr(actor, "id", None),
                note="CSV import",
                refreshed=touched,
            )
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
    # The stock updates bypass the ORM: the products' listing columns, once for the file.
    refresh_summaries(db.session.connection(), touched)


# --- Export ---------------------------------------------------------------------------------


def _export_row(v: ProductVariant) -> list:
    def yes(value):
        return "1" if value else "0"

    p = v.product
    row = [
        v.sku,
        p.slug,
        p.category.slug if p.category else "",
        p.name_ru,
        p.name_en or "",
        p.brand or "",
        p.description_ru or "",
        p.description_en or "",
        p.meta_title_ru or "",
        p.meta_title_en or "",
        p.meta_description_ru or "",
        p.meta_description_en or "",
        yes(p.active),
        as_rate(p.vat_rate).value,
        v.size or "",
        v.colour or "",
        v.price,
        v.old_price if v.old_price is not None else "",
        v.weight_grams if v.weight_grams is not None else "",
        yes(v.active),
        v.stock,
    ]
    return [_guard_apostrophe(cell) for cell in row]


def export_products(actor=None, ip=None) -> bytes:
    """Every variant with its product's fields, in the import's column order, as CSV bytes;
    records the export in the audit log and commits. Raises nothing of its own."""
    stmt = (
        select(ProductVariant)
        .join(ProductVariant.product)
        .options(selectinload(ProductVariant.product).selectinload(Product.category))
        .order_by(Product.id, ProductVariant.position, ProductVariant.id)
    )
    body = csv_bytes(COLUMNS, [_export_row(v) for v in db.session.scalars(stmt)])
    try:
        audit.record("export", "Product", None, actor=actor, ip=ip)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return body
