"""Cart services: find or make a cart, add, change, remove, merge on login, summarise.

A line keeps only a variant and a quantity: every price shown comes from the variant row at the
moment of showing, so a tampered form can never set a price. Quantities are parsed here, from
the raw form values, so every view refuses the same bad input the same way.
"""

import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from shop.cart.models import Cart, CartLine
from shop.catalog.attributes import variant_label
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
    import hashlib
    import hmac

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


def _shoppers_cart(user_id=None, token=None) -> tuple[str, object] | None:
    """("user", id) or ("token", token) for `_cart_where`; None when there is neither."""
    if user_id is not None:
        return "user", user_id
    if token:
        return "token", token
    return None


def find_cart(user_id=None, token=None) -> Cart | None:
    """The user's cart, or the guest cart with this token (never a guest cart of a user)."""
    which = _shoppers_cart(user_id, token)
    if which is None:
        return None
    kind, value = which
    return db.session.execute(
        select(Cart).where(_cart_where(kind)), {"which": value}
    ).scalar_one_or_none()


# The storefront's hot paths (add to cart, the cart page) run these statements many times a
# second. They are built once, with bound parameters, and read plain columns instead of ORM
# objects: building a statement, computing its cache key and filling the identity map cost
# more than the database's own work for them.


@dataclass(frozen=True, slots=True)
class _Found:
    """What an add needs to know, read by one statement: the variant on sale, and the cart
    asked for with its line of that variant, when there are."""

    variant_id: int
    stock: int
    cart_id: int | None = None
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
    kind: _ON_SALE.add_columns(Cart.id, CartLine.id, CartLine.quantity)
    .outerjoin(Cart, _cart_where(kind))
    .outerjoin(
        CartLine, (CartLine.cart_id == Cart.id) & (CartLine.variant_id == ProductVariant.id)
    )
    for kind in ("user", "token", "cart")
}


_SET_LINE_QUANTITY = (
    update(CartLine.__table__)
    .where(CartLine.__table__.c.id == bindparam("line_id"))
    .values(quantity=bindparam("new_quantity"))
)
_NEW_LINE = insert(CartLine.__table__)


def _variant_and_line(variant_id: int, which: tuple[str, object] | None = None) -> _Found:
    """The variant on sale, with the cart picked by `which` (see `_cart_where`) and that
    cart's line of the variant, in one statement. Raises NotFound."""
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


def add_item(cart: Cart | None, variant_id: int, quantity: int, user_id=None,
             _retry=False, token: str | None = None) -> Cart:
    """Add `quantity` of a variant (summed with what the cart has); commits. Returns the cart.

    Creates the cart when `cart` is None (for `user_id`, or a guest cart with `token`, or a new
    random token). Two first adds racing with the same token (one browser, two tabs) end in one
    cart: the loser's insert hits the unique token and it adds to the winner's cart instead.
    Raises NotFound (unknown or inactive variant), InvalidQuantity, NotEnoughStock; on error
    nothing is written.
    """
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    # The variant with the one line of it that matters, not the whole cart.
    which = ("cart", cart.id) if cart is not None and cart.id is not None else None
    found = _variant_and_line(variant_id, which)
    made = _add(found, quantity, user_id, token, _retry)
    return made if made is not None else cart


def add_for_shopper(variant_id: int, quantity: int, user_id=None, token=None,
                    new_token=None) -> Cart | None:
    """The storefront's add to cart: as `add_item`, for the cart of `user_id` (or the guest
    cart with cookie `token`), found with the variant by the same statement. `new_token()`
    gives the token of a guest's first cart. Returns the cart when this add made it, or
    another tab's first add made it at the same moment (its token belongs in the guest's
    cookie), else None."""
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    found = _variant_and_line(variant_id, _shoppers_cart(user_id, token))
    first_token = None
    if found.cart_id is None and user_id is None and new_token:
        first_token = new_token()
    return _add(found, quantity, user_id, first_token)


class _LineGone(Exception):
    """The line an add was to update no longer exists."""


def _add(found: _Found, quantity, user_id, token, _retry=False) -> Cart | None:
    """The write of an add, once the variant and the cart's line of it are known; commits.
    Returns the cart when there was none before (made here or by a racing first add)."""
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
    made = None
    try:
        if found.cart_id is None:
            made = Cart(
                user_id=user_id, token=None if user_id is not None else (token or new_token())
            )
            made.lines.append(CartLine(variant_id=found.variant_id, quantity=quantity))
            db.session.add(made)
        elif found.line_id is not None:
            changed = db.session.execute(
                _SET_LINE_QUANTITY, {"line_id": found.line_id, "new_quantity": total}
            ).rowcount
            if changed != 1:
                raise _LineGone()  # removed by another tab since it was read
        else:
            db.session.execute(
                _NEW_LINE,
                {"cart_id": found.cart_id, "variant_id": found.variant_id, "quantity": quantity},
            )
        db.session.commit()
    except (IntegrityError, _LineGone):
        # Two adds at once (two tabs): the other made the cart or the line, or removed the
        # line; add again to what is there now.
        db.session.rollback()
        if _retry or (user_id is None and not token and found.cart_id is None):
            raise
        winner = (
            find_cart(user_id=user_id, token=token)
            if found.cart_id is None
            else db.session.get(Cart, found.cart_id)
        )
        if winner is None:
            raise
        add_item(winner, found.variant_id, quantity, user_id, _retry=True, token=token)
        # A cart another tab made just now is new to this shopper too (its cookie lacks it).
        return winner if found.cart_id is None else None
    return made


def set_quantity(cart: Cart | None, line_id: int, quantity: int) -> None:
    """Set a line's quantity; commits. Raises NotFound, InvalidQuantity, NotEnoughStock."""
    line = _own_line(cart, line_id)
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    _check_quantity(line.variant.stock, quantity)
    line.quantity = quantity
    db.session.commit()


def remove_line(cart: Cart | None, line_id: int) -> None:
    """Remove a line of this cart; commits. Raises NotFound for a line of another cart."""
    line = _own_line(cart, line_id)
    db.session.delete(line)
    db.session.commit()


def _own_line(cart, line_id) -> CartLine:
    if cart is None:
        raise NotFound(_l("This item is not in your cart."))
    line = db.session.scalar(
        select(CartLine).where(CartLine.id == line_id, CartLine.cart_id == cart.id)
    )
    if line is None:
        raise NotFound(_l("This item is not in your cart."))
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
_FIRST_IMAGE = (
    select(ProductImage.filename)
    .where(ProductImage.product_id == Product.id)
    .order_by(ProductImage.position, ProductImage.id)
    .limit(1)
    .correlate(Product)
    .scalar_subquery()
)
_LINE_COLUMNS = (
    CartLine.id, CartLine.quantity,
    ProductVariant.id, ProductVariant.sku, ProductVariant.size, ProductVariant.colour,
    ProductVariant.price, ProductVariant.stock, ProductVariant.active,
    Product.id, Product.slug, Product.name_ru, Product.name_en, Product.active,
    Product.vat_rate, _FIRST_IMAGE,
)
_LINES = (
    select(*_LINE_COLUMNS)
    .join(ProductVariant, ProductVariant.id == CartLine.variant_id)
    .join(Product, Product.id == ProductVariant.product_id)
    .where(CartLine.cart_id == bindparam("cart_id"))
    .order_by(CartLine.id)
)
# The shopper's cart and its lines in one statement (a cart without lines gives one row of
# NULL line columns; no cart, no row).
_SHOPPERS_LINES = {
    kind: select(Cart.id, *_LINE_COLUMNS)
    .outerjoin(CartLine, CartLine.cart_id == Cart.id)
    .outerjoin(ProductVariant, ProductVariant.id == CartLine.variant_id)
    .outerjoin(Product, Product.id == ProductVariant.product_id)
    .where(_cart_where(kind))
    .order_by(CartLine.id)
    for kind in ("user", "token")
}


def load(cart: Cart | None) -> CartView:
    """The cart with current prices and stock from the database, and its subtotal."""
    if cart is None or cart.id is None:
        return CartView()
    return _priced(db.session.execute(_LINES, {"cart_id": cart.id}))


def load_for_shopper(user_id=None, token=None) -> CartView:
    """`load` of the user's cart (or the guest cart with this token), found by the same
    statement; an empty view when there is none."""
    which = _shoppers_cart(user_id, token)
    if which is None:
        return CartView()
    kind, value = which
    rows = db.session.execute(_SHOPPERS_LINES[kind], {"which": value})
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
    for kind in ("user", "token")
}


def header_summary(user_id=None, token=None) -> tuple[int, Decimal]:
    """Item count and total for the header, in one query (no query without a user or token)."""
    which = _shoppers_cart(user_id, token)
    if which is None:
        return 0, Decimal("0.00")
    kind, value = which
    row = db.session.execute(_HEADER_SUMMARY[kind], {"which": value}).one()
    return int(row[0] or 0), Decimal(row[1] or 0).quantize(Decimal("0.01"))


def clear(cart: Cart) -> None:
    """Delete a cart's lines (no commit: part of placing an order)."""
    db.session.execute(CartLine.__table__.delete().where(CartLine.__table__.c.cart_id == cart.id))
