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
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from shop.cart.models import Cart, CartLine
from shop.catalog.models import Product, ProductVariant
from shop.core.errors import DomainError, NotFound, ValidationFailed
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


# What a cart line shows of its product: not the descriptions nor the search columns, which
# are most of a product row (other attributes still load on first use).
_PRODUCT_COLUMNS = (Product.id, Product.slug, Product.name_ru, Product.name_en, Product.active)


def _cart_of(user_id=None, token=None):
    """The condition picking the user's cart, or the guest cart with this token (never a guest
    cart of a user); None when there is neither."""
    if user_id is not None:
        return Cart.user_id == user_id
    if token:
        return (Cart.token == token) & Cart.user_id.is_(None)
    return None


def find_cart(user_id=None, token=None, with_lines=False) -> Cart | None:
    """The user's cart, or the guest cart with this token (never a guest cart of a user).

    `with_lines`: its lines with their variants and products loaded by the same statement.
    """
    which = _cart_of(user_id, token)
    if which is None:
        return None
    stmt = select(Cart).where(which)
    if with_lines:
        stmt = stmt.options(
            joinedload(Cart.lines).joinedload(CartLine.variant).joinedload(ProductVariant.product)
            .load_only(*_PRODUCT_COLUMNS)
        )
    return db.session.execute(stmt).unique().scalar_one_or_none()


def _variant_and_line(variant_id: int, which_cart=None):
    """(variant on sale, the cart picked by the condition `which_cart` or None, that cart's line
    of the variant or None), in one statement. Raises NotFound."""
    stmt = (
        select(ProductVariant)
        .join(Product)
        .where(
            ProductVariant.id == variant_id,
            ProductVariant.active.is_(True),
            Product.active.is_(True),
        )
    )
    if which_cart is None:
        row = (db.session.scalar(stmt), None, None)
    else:
        row = db.session.execute(
            stmt.add_columns(Cart, CartLine)
            .outerjoin(Cart, which_cart)
            .outerjoin(
                CartLine, (CartLine.cart_id == Cart.id) & (CartLine.variant_id == ProductVariant.id)
            )
        ).first() or (None, None, None)
    if row[0] is None:
        raise NotFound(_l("This item does not exist."))
    return row[0], row[1], row[2]


def _check_quantity(variant: ProductVariant, quantity: int) -> None:
    limit = min(variant.stock, MAX_LINE_QUANTITY)
    if variant.stock <= 0:
        raise NotEnoughStock(_l("Sorry, this item is out of stock."))
    if quantity > limit:
        raise NotEnoughStock(
            _l("Only %(num)d of this item can be ordered.", num=limit), available=limit
        )


def add_item(cart: Cart | None, variant_id: int, quantity: int, user_id=None,
             _retry=False, token: str | None = None) -> Cart:
    """Add `quantity` of a variant (summed with what the cart has); commits.

    Creates the cart when `cart` is None (for `user_id`, or a guest cart with `token`, or a new
    random token). Two first adds racing with the same token (one browser, two tabs) end in one
    cart: the loser's insert hits the unique token and it adds to the winner's cart instead.
    Raises NotFound (unknown or inactive variant), InvalidQuantity, NotEnoughStock; on error
    nothing is written.
    """
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    # The variant with the one line of it that matters, not the whole cart.
    which = Cart.id == cart.id if cart is not None and cart.id is not None else None
    variant, _, existing = _variant_and_line(variant_id, which)
    return _add(cart, variant, existing, quantity, user_id, token, _retry)


def add_for_shopper(variant_id: int, quantity: int, user_id=None, token=None,
                    new_token=None) -> tuple[Cart, bool]:
    """The storefront's add to cart: as `add_item`, for the cart of `user_id` (or the guest
    cart with cookie `token`), found with the variant by the same statement. `new_token()`
    gives the token of a guest's first cart. Returns (cart, created)."""
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    variant, cart, existing = _variant_and_line(variant_id, _cart_of(user_id, token))
    created = cart is None
    first_token = new_token() if created and user_id is None and new_token else None
    return _add(cart, variant, existing, quantity, user_id, first_token), created


def _add(cart, variant, existing, quantity, user_id, token, _retry=False) -> Cart:
    """The write of add_item, once the variant and the cart's line of it are known."""
    variant_id = variant.id  # kept for the retry: a rollback expires the variant
    total = quantity + (existing.quantity if existing else 0)
    try:
        _check_quantity(variant, total)
    except NotEnoughStock as exc:
        limit = exc.details.get("available")
        if existing is None or not limit:
            raise
        # Say why a small add is refused: most of the allowance is in the cart already.
        raise NotEnoughStock(
            _l("You already have %(have)d in your cart; only %(num)d can be ordered.",
               have=existing.quantity, num=limit),
            available=limit,
        ) from None
    if cart is None:
        cart = Cart(user_id=user_id,
                    token=None if user_id is not None else (token or new_token()))
        db.session.add(cart)
    if existing:
        existing.quantity = total
    elif cart.id is None:
        cart.lines.append(CartLine(variant_id=variant_id, quantity=quantity))
    else:
        db.session.add(CartLine(cart_id=cart.id, variant_id=variant_id, quantity=quantity))
    try:
        db.session.commit()
    except IntegrityError:
        # Two first adds of one user at once (two tabs): the other made the cart; add to it.
        db.session.rollback()
        if _retry or (user_id is None and not token):
            raise
        winner = find_cart(user_id=user_id, token=token)
        if winner is None:
            raise
        return add_item(winner, variant_id, quantity, user_id, _retry=True, token=token)
    return cart


def set_quantity(cart: Cart | None, line_id: int, quantity: int) -> None:
    """Set a line's quantity; commits. Raises NotFound, InvalidQuantity, NotEnoughStock."""
    line = _own_line(cart, line_id)
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise InvalidQuantity()
    _check_quantity(line.variant, quantity)
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


def variant_label(variant: ProductVariant) -> str:
    """Size and colour in the reader's language ("M / red"); empty for a simple product."""
    from shop.catalog.attributes import colour_label

    return " / ".join(p for p in (variant.size, colour_label(variant.colour)) if p)


@dataclass
class CartRow:
    line: CartLine
    variant: ProductVariant
    product: Product
    unit_price: Decimal
    line_total: Decimal
    available: int
    problem: str | None = None  # "unavailable" | "short"

    @property
    def label(self) -> str:
        return variant_label(self.variant)


@dataclass
class CartView:
    cart: Cart | None
    rows: list[CartRow] = field(default_factory=list)
    subtotal: Decimal = Decimal("0.00")
    count: int = 0

    @property
    def has_problems(self) -> bool:
        return any(row.problem for row in self.rows)

    @property
    def fingerprint(self) -> str:
        """What the shopper saw: variant, quantity and price of every line."""
        return ";".join(
            f"{r.variant.id}:{r.line.quantity}:{r.unit_price}" for r in self.rows
        )


def load(cart: Cart | None) -> CartView:
    """The cart with current prices and stock from the database, and its subtotal."""
    view = CartView(cart=cart)
    if cart is None:
        return view
    if "lines" in cart.__dict__:  # loaded with the cart (find_cart(with_lines=True))
        lines = cart.lines
    else:
        lines = db.session.scalars(
            select(CartLine)
            .where(CartLine.cart_id == cart.id)
            .options(
                joinedload(CartLine.variant)
                .joinedload(ProductVariant.product)
                .load_only(*_PRODUCT_COLUMNS)
            )
            .order_by(CartLine.id)
        ).all()
    for line in lines:
        variant = line.variant
        sellable = variant.active and variant.product.active
        available = min(variant.stock, MAX_LINE_QUANTITY) if sellable else 0
        problem = None
        if available <= 0:
            problem = "unavailable"
        elif line.quantity > available:
            problem = "short"
        total = (variant.price * line.quantity).quantize(Decimal("0.01"))
        view.rows.append(
            CartRow(line, variant, variant.product, variant.price, total, available, problem)
        )
        view.subtotal += total
        view.count += line.quantity
    return view


def header_summary(user_id=None, token=None) -> tuple[int, Decimal]:
    """Item count and total for the header, in one query (no query without a user or token)."""
    if user_id is None and not token:
        return 0, Decimal("0.00")
    condition = Cart.user_id == user_id if user_id is not None else Cart.token == token
    row = db.session.execute(
        select(
            func.coalesce(func.sum(CartLine.quantity), 0),
            func.coalesce(func.sum(CartLine.quantity * ProductVariant.price), 0),
        )
        .select_from(CartLine)
        .join(Cart, Cart.id == CartLine.cart_id)
        .join(ProductVariant, ProductVariant.id == CartLine.variant_id)
        .where(condition)
    ).one()
    return int(row[0] or 0), Decimal(row[1] or 0).quantize(Decimal("0.01"))


def clear(cart: Cart) -> None:
    """Delete a cart's lines (no commit: part of placing an order)."""
    db.session.execute(CartLine.__table__.delete().where(CartLine.__table__.c.cart_id == cart.id))
