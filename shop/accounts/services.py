"""Account services: roles and administrators. One call, one transaction."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_security import hash_password
from sqlalchemy import select

from shop.accounts.models import ALL_ROLES, STAFF_ROLES, Role, User
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
