"""Account services: roles, administrators, profile, address book, data export, deletion.

One call, one transaction; errors are domain errors (NotFound, ValidationFailed).
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_security import hash_password
from sqlalchemy import select

from shop.accounts.models import ALL_ROLES, STAFF_ROLES, Address, Role, User
from shop.core.errors import ValidationFailed
from shop.extensions import db

ROLE_DESCRIPTIONS = {
    "admin": "Everything, including users, roles and the audit log",
    "manager": "Catalogue, orders, customers (read-only), reports",
    "warehouse": "Stock and order fulfilment",
    "customer": "A shopper",
}


def ensure_roles() -> dict[str, Role]:
    """Create the four roles when missing (no commit: callers own the transaction)."""
    existing = {r.name: r for r in db.session.scalars(select(Role)).all()}
    for name in ALL_ROLES:
        if name not in existing:
            role = Role(name=name, description=ROLE_DESCRIPTIONS[name])
            db.session.add(role)
            existing[name] = role
    return existing


def ensure_admin(email: str, password: str) -> tuple[User, bool]:
    """Create an administrator, or reset the password and roles of an existing account.

    Raises ValidationFailed for a malformed email or a password shorter than 8 characters.
    """
    from email_validator import EmailNotValidError, validate_email

    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationFailed(_l("Invalid email address.")) from exc
    if not 8 <= len(password) <= 128:
        raise ValidationFailed(_l("The password must be 8 to 128 characters long."))
    roles = ensure_roles()
    datastore = current_app.extensions["security"].datastore
    user = datastore.find_user(email=email)
    created = user is None
    if created:
        user = datastore.create_user(
            email=email, password=hash_password(password), active=True, locale="ru"
        )
    else:
        user.password = hash_password(password)
        user.active = True
    if user.confirmed_at is None:
        from shop.core.models import utcnow

        user.confirmed_at = utcnow()
    for name in STAFF_ROLES:
        if roles[name] not in user.roles:
            user.roles.append(roles[name])
    db.session.commit()
    return user, created


# --- Profile, address book, data export and account deletion -------------------------------


def end_all_sessions(user: User) -> None:
    """Rotate the user's uniquifiers: every session cookie and remember-me token stops working."""
    datastore = current_app.extensions["security"].datastore
    datastore.set_uniquifier(user)
    if hasattr(user, "fs_token_uniquifier"):
        datastore.set_token_uniquifier(user)
    db.session.commit()


def update_profile(user: User, *, full_name: str, phone: str | None, locale: str) -> User:
    """Save name, phone and preferred language. Raises ValidationFailed for an unknown language."""
    from shop.core.i18n import LANGUAGES

    if locale not in LANGUAGES:
        raise ValidationFailed(_l("Choose Russian or English."))
    user.full_name = full_name
    user.phone = phone or None
    user.locale = locale
    db.session.commit()
    return user


def get_address(user: User, address_id: int) -> Address:
    """The user's own address. Raises NotFound for a missing address or someone else's."""
    from shop.core.errors import NotFound

    address = db.session.scalar(
        select(Address).where(Address.id == address_id, Address.user_id == user.id)
    )
    if address is None:
        raise NotFound(_l("Address not found."))
    return address


def _make_default(user: User, address: Address) -> None:
    for other in user.addresses:
        other.is_default = other is address


def add_address(user: User, data: dict) -> Address:
    """Add an address; the first one (or one marked default) becomes the default."""
    wants_default = bool(data.pop("is_default", False))
    address = Address(user=user, **data)
    db.session.add(address)
    if wants_default or not any(a.is_default for a in user.addresses if a is not address):
        _make_default(user, address)
    db.session.commit()
    return address


def update_address(user: User, address_id: int, data: dict) -> Address:
    """Edit one of the user's addresses. Raises NotFound for someone else's."""
    address = get_address(user, address_id)
    wants_default = bool(data.pop("is_default", False))
    for name, value in data.items():
        setattr(address, name, value)
    if wants_default:
        _make_default(user, address)
    db.session.commit()
    return address


def set_default_address(user: User, address_id: int) -> Address:
    """Make one of the user's addresses the default. Raises NotFound for someone else's."""
    address = get_address(user, address_id)
    _make_default(user, address)
    db.session.commit()
    return address


def delete_address(user: User, address_id: int) -> None:
    """Delete one of the user's addresses; another becomes the default. Raises NotFound."""
    address = get_address(user, address_id)
    was_default = address.is_default
    user.addresses.remove(address)
    db.session.delete(address)
    if was_default and user.addresses:
        _make_default(user, user.addresses[0])
    db.session.commit()


def default_address(user: User) -> Address | None:
    """The address checkout should suggest first (None when the book is empty)."""
    return db.session.scalar(
        select(Address)
        .where(Address.user_id == user.id)
        .order_by(Address.is_default.desc(), Address.id)
        .limit(1)
    )


def _iso(value):
    return value.isoformat() if value is not None else None


def export_user_data(user: User) -> dict:
    """Everything we keep about the user, as plain JSON-ready data (profile, addresses, orders)."""
    from shop.orders.models import Order

    orders = db.session.scalars(
        select(Order).where(Order.user_id == user.id).order_by(Order.id)
    ).all()
    return {
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "language": user.locale,
            "registered_at": _iso(getattr(user, "create_datetime", None)),
            "email_confirmed_at": _iso(user.confirmed_at),
            "two_factor": bool(user.tf_primary_method),
            "last_login_at": _iso(user.last_login_at),
        },
        "addresses": [
            {
                "recipient": a.recipient,
                "phone": a.phone,
                "country": a.country,
                "region": a.region,
                "city": a.city,
                "postcode": a.postcode,
                "street": a.street,
                "default": a.is_default,
            }
            for a in user.addresses
        ],
        "orders": [
            {
                "number": o.number,
                "placed_at": _iso(o.created_at),
                "status": str(o.status),
                "email": o.email,
                "phone": o.phone,
                "customer_name": o.customer_name,
                "shipping_address": o.shipping_address,
                "delivery": o.delivery_method_name,
                "payment_method": str(o.payment_method),
                "total": str(o.total),
                "currency": o.currency,
                "lines": [
                    {
                        "product": line.product_name,
                        "variant": line.variant_label,
                        "sku": line.sku,
                        "unit_price": str(line.unit_price),
                        "quantity": line.quantity,
                        "line_total": str(line.line_total),
                    }
                    for line in getattr(o, "lines", [])
                ],
            }
            for o in orders
        ],
    }


def delete_account(user: User, password: str) -> None:
    """Anonymise the account after checking its password; orders stay for accounting.

    Name, phone, addresses, two-factor secrets and roles are removed, the email is replaced by
    an unusable placeholder, the account is deactivated and every session ends. The orders keep
    their lines, totals, delivery name and address (accounting documents) but lose the contact
    email and phone. Raises ValidationFailed when the password is wrong.
    """
    import secrets

    from flask_security import verify_password
    from sqlalchemy import update

    from shop.orders.models import Order

    if not password or not user.password or not verify_password(password, user.password):
        raise ValidationFailed(_l("The password is not correct."))
    placeholder = f"deleted-{user.id}-{secrets.token_hex(4)}@deleted.invalid"
    db.session.execute(
        update(Order).where(Order.user_id == user.id).values(email=placeholder, phone="-")
    )
    for address in list(user.addresses):
        user.addresses.remove(address)
        db.session.delete(address)
    user.email = placeholder
    user.full_name = None
    user.phone = None
    user.password = hash_password(secrets.token_urlsafe(32))
    user.active = False
    user.tf_primary_method = None
    user.tf_totp_secret = None
    user.tf_phone_number = None
    user.mf_recovery_codes = None
    user.us_phone_number = None
    user.us_totp_secrets = None
    user.current_login_ip = None
    user.last_login_ip = None
    user.roles = []
    end_all_sessions(user)  # commits the whole change


def save_language(user: User, locale: str) -> User:
    """Save the user's preferred language (pages and emails), alone: the language switch's POST.

    Raises ValidationFailed for an unknown language.
    """
    from shop.core.i18n import LANGUAGES

    if locale not in LANGUAGES:
        raise ValidationFailed(_l("Choose Russian or English."))
    if user.locale != locale:
        user.locale = locale
        db.session.commit()
    return user
