"""Cart services: find or make a cart, add, change, remove, merge on login, summarise.

A line keeps only a variant and a quantity: every price shown comes from the variant row at the
moment of showing, so a tampered form can never set a price. Quantities are parsed here, from
the raw form values, so every view refuses the same bad input the same way.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from shop.cart.models import Cart, CartLine
from shop.catalog.attributes import variant_label
from shop.catalog.cards import first_image_column
from shop.catalog.models import Product, ProductImage, ProductVariant
from shop.core.errors import DomainError, NotFound, ValidationFailed
from shop.core.models import Translated
from shop.core.vat import DEFAULT_VAT_RATE, vat_lines
from shop.extensions import db

MAX_LINE_QUANTITY = 99
_WHOLE = re.compile(r"^[0-9]{1,9}$")


class InvalidQuantity(ValidationFailed):
    message = _l("Quantity must be a whole number from 1 to 99.")


class NotEnoughStock(DomainError):
    message = _l("Not enough stock for this item.")


class CartBusy(DomainError):
    message = _l("Your cart was changed at the same moment elsewhere. Please try again.")


def parse_quantity(values) -> int:
    """One whole number from 1 to 99 out of the raw form values (a list: repeats are refused).

    Raises InvalidQuantity.
    """
    if isinstance(values, str | int):
        values = [values]
    values = list(values or [])
    if len(values) != 1:
        raise InvalidQuantity()
    raw = str(values[0]).strip()
    if not _WHOLE.match(raw):
        raise InvalidQuantity()
    quantity = int(raw)
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    return quantity


def parse_id(values) -> int:
    """One positive integer id from raw form values; raises NotFound for anything else."""
    if isinstance(values, str | int):
        values = [values]
    values = list(values or [])
    if len(values) != 1 or not _WHOLE.match(str(values[0]).strip()):
        raise NotFound(_l("This item does not exist."))
    return int(str(values[0]).strip())


def new_token() -> str:
    return secrets.token_urlsafe(32)


def guest_token_for(seed: str, secret: str) -> str:
    """A guest cart token derived from a per-browser secret (the session's CSRF seed).

    Every tab of one browser derives the same token, so two first adds at once make one cart.
    """
    digest = hmac.new(secret.encode(), b"guest-cart:" + seed.encode(), hashlib.sha256)
    return digest.hexdigest()[:43]


def _cart_where(kind: str):
    """The condition picking a cart, with its value as a bound parameter `which`: the user's
    cart ("user"), the guest cart with a cookie token, never a guest cart of a user ("token"),
    or a cart by id ("cart")."""
    which = bindparam("which")
    if kind == "user":
        return Cart.user_id == which
    if kind == "token":
        return (Cart.token == which) & Cart.user_id.is_(None)
    return Cart.id == which


_KINDS = ("user", "token", "cart")


def _which(cart: Cart | None = None, user_id=None, token=None) -> tuple[str, object] | None:
    """Which cart an operation is about, as ("cart", id), ("user", id) or ("token", token)
    for `_cart_where`; None when there is none (a guest without a cookie).

    Every operation takes the cart the same way: the Cart when the caller holds it (checkout,
    tests), else the shopper (a user id, or a guest's cookie token), so the storefront finds
    the cart with the statement that does the work instead of a statement of its own.
    """
    if cart is not None and cart.id is not None:
        return "cart", cart.id
    if user_id is not None:
        return "user", user_id
    if token:
        return "token", token
    return None


def find_cart(user_id=None, token=None) -> Cart | None:
    """The user's cart, or the guest cart with this token (never a guest cart of a user)."""
    which = _which(None, user_id, token)
    if which is None:
        return None
    kind, value = which
    return db.session.execute(
        select(Cart).where(_cart_where(kind)), {"which": value}
    ).scalar_one_or_none()


# The storefront's hot paths (add to cart, the cart page) run these statements many times a
# second. They are built once, with bound parameters, and read plain columns (the cart row
# aside) instead of ORM objects: building a statement, computing its cache key and filling the
# identity map cost more than the database's own work for them.


@dataclass(frozen=True, slots=True)
class _Found:
    """What an add needs to know, read by one statement: the variant on sale, and the cart
    asked for with its line of that variant, when there are."""

    variant_id: int
    stock: int
    cart: Cart | None = None
    line_id: int | None = None
    in_cart: int = 0


_ON_SALE = (
    select(ProductVariant.id, ProductVariant.stock)
    .join(Product, Product.id == ProductVariant.product_id)
    .where(
        ProductVariant.id == bindparam("variant_id"),
        ProductVariant.active.is_(True),
        Product.active.is_(True),
    )
)
_ON_SALE_WITH_LINE = {
    kind: _ON_SALE.add_columns(Cart, CartLine.id, CartLine.quantity)
    .outerjoin(Cart, _cart_where(kind))
    .outerjoin(
        CartLine, (CartLine.cart_id == Cart.id) & (CartLine.variant_id == ProductVariant.id)
    )
    for kind in _KINDS
}
_SET_LINE_QUANTITY = (
    update(CartLine.__table__)
    .where(CartLine.__table__.c.id == bindparam("line_id"))
    .values(quantity=bindparam("new_quantity"))
)
_NEW_LINE = insert(CartLine.__table__)


def _variant_and_line(variant_id: int, which: tuple[str, object] | None = None) -> _Found:
    """The variant on sale, with the cart picked by `which` (see `_which`) and that cart's
    line of the variant, in one statement. Raises NotFound."""
    if which is None:
        row = db.session.execute(_ON_SALE, {"variant_id": variant_id}).first()
    else:
        kind, value = which
        row = db.session.execute(
            _ON_SALE_WITH_LINE[kind], {"variant_id": variant_id, "which": value}
        ).first()
    if row is None:
        raise NotFound(_l("This item does not exist."))
    return _Found(*row[:2]) if which is None else _Found(*row[:4], in_cart=row[4] or 0)


def _check_quantity(stock: int, quantity: int) -> None:
    limit = min(stock, MAX_LINE_QUANTITY)
    if stock <= 0:
        raise NotEnoughStock(_l("Sorry, this item is out of stock."))
    if quantity > limit:
        raise NotEnoughStock(
            _l("Only %(num)d of this item can be ordered.", num=limit), available=limit
        )


class _LineGone(Exception):
    """The line an add was to update no longer exists."""


def add_item(cart: Cart | None, variant_id: int, quantity: int, user_id=None,
             token: str | None = None) -> Cart:
    """Add `quantity` of a variant to a cart (summed with what it holds); commits. Returns the
    cart.

    The cart is `cart`, else the cart of `user_id`, else the guest cart with `token` (see
    `_which`); when there is none, this add makes it: the user's, or a guest cart with `token`
    (a new random one without). The variant, the cart and the cart's line of the variant are
    read by one statement. Two adds at once (a shopper's two tabs) end in one cart and one
    line: the loser's write meets the unique token or cart+variant key, or finds its line
    removed, and it adds once more to what is there now.
    Raises NotFound (unknown or inactive variant), InvalidQuantity, NotEnoughStock; on error
    nothing is written.
    """
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    which = _which(cart, user_id, token)
    try:
        return _add(_variant_and_line(variant_id, which), quantity, user_id, token)
    except (IntegrityError, _LineGone):
        db.session.rollback()
        if which is None:
            raise
    # Another add came first (see above): add once more, to what is there now.
    try:
        return _add(_variant_and_line(variant_id, which), quantity, user_id, token)
    except (IntegrityError, _LineGone):
        db.session.rollback()
        raise CartBusy() from None


def _add(found: _Found, quantity, user_id, token) -> Cart:
    """The write of an add, once the variant and the cart's line of it are known; commits."""
    total = quantity + found.in_cart
    try:
        _check_quantity(found.stock, total)
    except NotEnoughStock as exc:
        limit = exc.details.get("available")
        if not found.in_cart or not limit:
            raise
        # Say why a small add is refused: most of the allowance is in the cart already.
        raise NotEnoughStock(
            _l("You already have %(have)d in your cart; only %(num)d can be ordered.",
               have=found.in_cart, num=limit),
            available=limit,
        ) from None
    cart = found.cart
    if cart is None:
        cart = Cart(user_id=user_id, token=None if user_id is not None else (token or new_token()))
        cart.lines.append(CartLine(variant_id=found.variant_id, quantity=quantity))
        db.session.add(cart)
    elif found.line_id is not None:
        changed = db.session.execute(
            _SET_LINE_QUANTITY, {"line_id": found.line_id, "new_quantity": total}
        ).rowcount
        if changed != 1:
            raise _LineGone()  # removed by another tab since it was read
    else:
        db.session.execute(
            _NEW_LINE, {"cart_id": cart.id, "variant_id": found.variant_id, "quantity": quantity}
        )
    db.session.commit()
    return cart


# A line of the shopper's cart with what a change of it must know, in one statement.
_OWN_LINE = {
    kind: select(
        CartLine.id, CartLine.variant_id, CartLine.quantity, ProductVariant.stock,
        ProductVariant.active & Product.active, ProductVariant.size, ProductVariant.colour,
        Product.name_ru, Product.name_en,
    )
    .join(Cart, Cart.id == CartLine.cart_id)
    .join(ProductVariant, ProductVariant.id == CartLine.variant_id)
    .join(Product, Product.id == ProductVariant.product_id)
    .where(CartLine.id == bindparam("line_id"), _cart_where(kind))
    for kind in _KINDS
}


@dataclass(slots=True)
class OwnLine:
    """A line of the shopper's cart as it was before a change: what "Removed X. Undo" needs
    to name it and to put it back."""

    id: int
    variant_id: int
    quantity: int
    stock: int
    on_sale: bool
    size: str | None
    colour: str | None
    name_ru: str
    name_en: str | None
    name = Translated("name")

    @property
    def label(self) -> str:
        return variant_label(self)


def _own_line(which, line_id: int) -> OwnLine:
    """The line `line_id` of the cart picked by `which`. Raises NotFound for no cart, or a
    line of another cart (ownership is part of the query)."""
    row = None
    if which is not None:
        kind, value = which
        row = db.session.execute(_OWN_LINE[kind], {"line_id": line_id, "which": value}).first()
    if row is None:
        raise NotFound(_l("This item is not in your cart."))
    return OwnLine(*row)


def set_quantity(cart: Cart | None, line_id: int, quantity: int, user_id=None,
                 token=None) -> OwnLine:
    """Set a line's quantity; commits. The cart is picked as by `add_item`. Returns the line
    as it was. Raises NotFound, InvalidQuantity, NotEnoughStock; on error nothing changes."""
    line = _own_line(_which(cart, user_id, token), line_id)
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    _check_quantity(line.stock if line.on_sale else 0, quantity)
    db.session.execute(_SET_LINE_QUANTITY, {"line_id": line.id, "new_quantity": quantity})
    db.session.commit()
    return line


def remove_line(cart: Cart | None, line_id: int, user_id=None, token=None) -> OwnLine:
    """Remove a line; commits. The cart is picked as by `add_item`. Returns the removed line
    (its variant and quantity put it back: `add_item`). Raises NotFound for a line of another
    cart."""
    line = _own_line(_which(cart, user_id, token), line_id)
    db.session.execute(CartLine.__table__.delete().where(CartLine.__table__.c.id == line.id))
    db.session.commit()
    return line


def merge_guest_cart(user_id: int, token: str | None) -> Cart | None:
    """Move a guest cart's lines into the user's cart on login; commits.

    Quantities of the same variant are summed and capped by stock (and 99); lines of variants no
    longer sold are dropped. The guest cart is deleted. Without a guest cart this does nothing.
    """
    guest = find_cart(token=token) if token else None
    if guest is None:
        return None
    user_cart = find_cart(user_id=user_id)
    if user_cart is None:
        # Adopt the guest cart as it is.
        guest.user_id = user_id
        guest.token = None
        db.session.commit()
        return guest
    by_variant = {line.variant_id: line for line in user_cart.lines}
    for line in list(guest.lines):
        variant = line.variant
        limit = min(variant.stock, MAX_LINE_QUANTITY) if variant and variant.active else 0
        target = by_variant.get(line.variant_id)
        wanted = line.quantity + (target.quantity if target else 0)
        quantity = min(wanted, limit)
        if target is not None:
            if limit > 0:
                target.quantity = quantity
        elif quantity > 0:
            user_cart.lines.append(CartLine(variant_id=line.variant_id, quantity=quantity))
    db.session.delete(guest)
    db.session.commit()
    return user_cart


@dataclass(slots=True)
class LineItem:
    """A cart line as the cart page and checkout read it (a plain copy, not the ORM row)."""

    id: int
    quantity: int


@dataclass(slots=True)
class LineVariant:
    id: int
    sku: str
    size: str | None
    colour: str | None
    price: Decimal
    stock: int
    active: bool


@dataclass(slots=True)
class LineProduct:
    id: int
    slug: str
    name_ru: str
    name_en: str | None
    active: bool
    vat_rate: str = DEFAULT_VAT_RATE.value  # shop.core.vat.VatRate
    name = Translated("name")


@dataclass
class CartRow:
    line: LineItem
    variant: LineVariant
    product: LineProduct
    unit_price: Decimal
    line_total: Decimal
    available: int
    problem: str | None = None  # "unavailable" | "short"
    image: str | None = None  # the file name of the product's first image, if it has one

    @property
    def label(self) -> str:
        return variant_label(self.variant)


@dataclass
class CartView:
    rows: list[CartRow] = field(default_factory=list)
    subtotal: Decimal = Decimal("0.00")
    count: int = 0

    @property
    def has_problems(self) -> bool:
        return any(row.problem for row in self.rows)

    @property
    def vat_lines(self) -> list:
        """"Including VAT 22%: X" per rate for the goods (shop.core.vat.vat_lines)."""
        return vat_lines((row.line_total, row.product.vat_rate) for row in self.rows)

    @property
    def fingerprint(self) -> str:
        """What the shopper saw: variant, quantity and price of every line."""
        return ";".join(
            f"{r.variant.id}:{r.line.quantity}:{r.unit_price}" for r in self.rows
        )


# The product's first picture, read by the lines' own statement (a query per line would grow
# with the cart).
_FIRST_IMAGE = first_image_column(ProductImage.filename)
_LINE_COLUMNS = (
    CartLine.id, CartLine.quantity,
    ProductVariant.id, ProductVariant.sku, ProductVariant.size, ProductVariant.colour,
    ProductVariant.price, ProductVariant.stock, ProductVariant.active,
    Product.id, Product.slug, Product.name_ru, Product.name_en, Product.active,
    Product.vat_rate, _FIRST_IMAGE,
)
# The cart and its lines in one statement, the cart picked as `_which` says (a cart without
# lines gives one row of NULL line columns; no cart, no row).
_CART_LINES = {
    kind: select(Cart.id, *_LINE_COLUMNS)
    .outerjoin(CartLine, CartLine.cart_id == Cart.id)
    .outerjoin(ProductVariant, ProductVariant.id == CartLine.variant_id)
    .outerjoin(Product, Product.id == ProductVariant.product_id)
    .where(_cart_where(kind))
    .order_by(CartLine.id)
    for kind in _KINDS
}


def load(cart: Cart | None = None, user_id=None, token=None) -> CartView:
    """The cart with current prices and stock from the database, and its subtotal, in one
    statement; the cart picked as by `add_item`. An empty view when there is none."""
    which = _which(cart, user_id, token)
    if which is None:
        return CartView()
    kind, value = which
    rows = db.session.execute(_CART_LINES[kind], {"which": value})
    return _priced(row[1:] for row in rows if row[1] is not None)


def _priced(rows) -> CartView:
    """CartView of rows of _LINE_COLUMNS: each line at today's price, flagged when the stock
    no longer covers it or it is no longer sold."""
    view = CartView()
    for (line_id, quantity, variant_id, sku, size, colour, price, stock, variant_active,
         product_id, slug, name_ru, name_en, product_active, vat_rate, image) in rows:
        available = min(stock, MAX_LINE_QUANTITY) if variant_active and product_active else 0
        problem = None
        if available <= 0:
            problem = "unavailable"
        elif quantity > available:
            problem = "short"
        total = (price * quantity).quantize(Decimal("0.01"))
        view.rows.append(CartRow(
            LineItem(line_id, quantity),
            LineVariant(variant_id, sku, size, colour, price, stock, variant_active),
            LineProduct(product_id, slug, name_ru, name_en, product_active, vat_rate),
            price, total, available, problem, image,
        ))
        view.subtotal += total
        view.count += quantity
    return view


_HEADER_SUMMARY = {
    kind: select(
        func.coalesce(func.sum(CartLine.quantity), 0),
        func.coalesce(func.sum(CartLine.quantity * ProductVariant.price), 0),
    )
    .select_from(CartLine)
    .join(Cart, Cart.id == CartLine.cart_id)
    .join(ProductVariant, ProductVariant.id == CartLine.variant_id)
    .where(_cart_where(kind))
    for kind in _KINDS
}


def header_summary(user_id=None, token=None) -> tuple[int, Decimal]:
    """Item count and total for the header, in one query (no query without a user or token)."""
    which = _which(None, user_id, token)
    if which is None:
        return 0, Decimal("0.00")
    kind, value = which
    row = db.session.execute(_HEADER_SUMMARY[kind], {"which": value}).one()
    return int(row[0] or 0), Decimal(row[1] or 0).quantize(Decimal("0.01"))


def clear(cart: Cart) -> None:
    """Delete a cart's lines (no commit: part of placing an order)."""
    db.session.execute(CartLine.__table__.delete().where(CartLine.__table__.c.cart_id == cart.id))
