"""Account services: roles, administrators, profile, address book, data export, deletion, the
registration and reset mail written after the response, undoing a change of email, and the
back office's side of a customer (staff notes, erasure through the same `erase_account`).

One call, one transaction; errors are domain errors (NotFound, ValidationFailed).
"""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_security import hash_password
from sqlalchemy import select

from shop.accounts.models import ALL_ROLES, STAFF_ROLES, Address, CustomerNote, Role, User
from shop.audit import services as audit
from shop.core.errors import NotFound, ValidationFailed
from shop.core.i18n import LANGUAGES, is_timezone
from shop.core.models import utcnow
from shop.core.urls import public_url_for
from shop.extensions import db
from shop.legal import services as legal
from shop.notifications import outbox
from shop.orders.models import Order

ROLE_DESCRIPTIONS = {
    "admin": "Everything, including users, roles and the audit log",
    "manager": "Catalogue, orders, customers (notes, deactivation), reports",
    "warehouse": "Stock and order fulfilment",
    "customer": "A shopper",
}
# The address an erased account is left with (never deliverable: .invalid is reserved).
ERASED_DOMAIN = "deleted.invalid"


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


def forget_sessions(user: User) -> None:
    """`end_all_sessions` inside the caller's transaction (no commit): the uniquifiers rotate,
    and every session cookie and remember-me token of the account stops working once the
    caller commits (a staff account deactivated through the back office's own form)."""
    datastore = current_app.extensions["security"].datastore
    datastore.set_uniquifier(user)
    if hasattr(user, "fs_token_uniquifier"):
        datastore.set_token_uniquifier(user)


def set_customers_active(ids, active: bool, *, actor=None, ip=None) -> int:
    """Allow (`active=True`) or stop shoppers' accounts; commits.

    A deactivated account is logged out everywhere (`forget_sessions`). One audit entry
    ("activate" or "deactivate") per account whose flag changes. Staff accounts among `ids` are
    left alone and not counted (they are managed with their roles), nor are unknown ids.
    Returns how many shoppers' accounts `ids` named, changed or already so. Raises nothing of
    its own.
    """
    try:
        users = [
            user
            for user in db.session.scalars(select(User).where(User.id.in_(list(ids))))
            if not user.is_staff
        ]
        for user in users:
            if audit.switch_active(user, active, actor=actor, ip=ip) and not active:
                forget_sessions(user)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(users)


def _check_preferences(locale: str, timezone: str | None) -> None:
    if locale not in LANGUAGES:
        raise ValidationFailed(_l("Choose Russian or English."))
    if timezone and not is_timezone(timezone):
        raise ValidationFailed(_l("Choose a time zone from the list."))


def update_profile(
    user: User, *, full_name: str, phone: str | None, locale: str, timezone: str | None = None
) -> User:
    """Save name, phone, preferred language and (unless None) time zone, "" for the shop's.
    Raises ValidationFailed for an unknown language or time zone; then nothing is saved."""
    _check_preferences(locale, timezone)
    user.full_name = full_name
    user.phone = phone or None
    user.locale = locale
    if timezone is not None:
        user.timezone = timezone or None
    db.session.commit()
    return user


def update_preferences(user: User, *, locale: str, timezone: str) -> User:
    """A staff member's own settings (the back office's "My settings"): the language and the
    time zone ("" for the shop's, issue 19) they read the back office in. Raises
    ValidationFailed for an unknown language or time zone; then nothing is saved."""
    _check_preferences(locale, timezone)
    user.locale = locale
    user.timezone = timezone or None
    db.session.commit()
    return user


def get_address(user: User, address_id: int) -> Address:
    """The user's own address. Raises NotFound for a missing address or someone else's."""
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
    """Everything we keep about the user, as plain JSON-ready data (profile, addresses, consents,
    orders)."""
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
                "house": a.house,
                "flat": a.flat,
                "default": a.is_default,
            }
            for a in user.addresses
        ],
        "consents": legal.export_consents(user.id),
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


def check_password(user: User, password: str | None) -> None:
    """Raises ValidationFailed unless `password` is the user's current password."""
    from flask_security import verify_password

    if not password or not user.password or not verify_password(password, user.password):
        raise ValidationFailed(_l("The password is not correct."))


def delete_account(user: User, password: str) -> None:
    """The shopper's own "delete my account": `erase_account` after checking the password.

    Raises ValidationFailed when the password is wrong; nothing changes then.
    """
    check_password(user, password)
    erase_account(user)


def erase_account(user: User, *, actor=None, ip: str | None = None) -> None:
    """Anonymise the account; orders stay for accounting. Commits.

    The one erasure of the shop: the shopper's "delete my account" (`delete_account`) and the
    back office's "erase" (`erase_customer`, which passes the staff member as `actor` for an
    "erase" audit entry) both end here.

    Name, phone, addresses, staff notes about the customer, two-factor secrets and roles are
    removed, the email is replaced by an unusable placeholder, the account is deactivated and
    every session ends. The orders keep their lines, totals, delivery name and address
    (accounting documents) but lose the contact email and phone; the consents keep what was
    accepted and when, without the email, address and browser. Raises nothing of its own.
    """
    import secrets

    from sqlalchemy import delete, update

    placeholder = f"deleted-{user.id}-{secrets.token_hex(4)}@{ERASED_DOMAIN}"
    db.session.execute(
        update(Order).where(Order.user_id == user.id).values(email=placeholder, phone="-")
    )
    legal.anonymise_consents(user.id, placeholder)
    db.session.execute(delete(CustomerNote).where(CustomerNote.user_id == user.id))
    audit.forget_values("User", user.id)  # notes and changed names, emails, phones in the log
    for address in list(user.addresses):
        user.addresses.remove(address)
        db.session.delete(address)
    if actor is not None:
        # what was erased is not repeated here: the entry says who erased which account, when
        audit.record("erase", "User", user.id, actor=actor, ip=ip)
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


def is_erased(user: User) -> bool:
    """Whether the account was erased (`erase_account` left only its placeholder address)."""
    return (user.email or "").endswith("@" + ERASED_DOMAIN)


# --- A customer in the back office: notes and erasure ---------------------------------------

NOTE_MAX_LENGTH = 2000


def get_customer(user_id) -> User:
    """A shopper's account. Raises NotFound for an unknown id or a staff account (staff are
    managed with their roles, not as customers)."""
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.is_staff:
        raise NotFound(_l("Customer not found."))
    return user


def customer_notes(user_id: int) -> list[CustomerNote]:
    """The staff notes about a customer, newest first."""
    return list(
        db.session.scalars(
            select(CustomerNote)
            .where(CustomerNote.user_id == user_id)
            .order_by(CustomerNote.created_at.desc(), CustomerNote.id.desc())
        )
    )


def add_customer_note(user_id: int, text: str | None, *, author, ip: str | None = None):
    """Write a staff note about a customer, with a "note" audit entry; commits.

    Raises NotFound for an unknown or staff account (`get_customer`), ValidationFailed for an
    empty note or one longer than NOTE_MAX_LENGTH characters; nothing is written then.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_l("The note is empty: write something first."))
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationFailed(
            _l("The note is too long (at most %(max)d characters).", max=NOTE_MAX_LENGTH)
        )
    user = get_customer(user_id)
    note = CustomerNote(user_id=user.id, author_id=getattr(author, "id", None), text=text)
    db.session.add(note)
    audit.record("note", "User", user.id, after={"note": text}, actor=author, ip=ip)
    db.session.commit()
    return note


def erase_customer(user_id: int, *, actor, ip: str | None = None) -> User:
    """The back office's "erase": the same `erase_account` as the shopper's own deletion, with
    an "erase" audit entry naming the staff member. Commits.

    Raises NotFound for an unknown or staff account, ValidationFailed for an account already
    erased; nothing changes then.
    """
    user = get_customer(user_id)
    if is_erased(user):
        raise ValidationFailed(_l("This account has already been erased."))
    erase_account(user, actor=actor, ip=ip)
    return user


def save_language(user: User, locale: str) -> User:
    """Save the user's preferred language (pages and emails), alone: the language switch's POST.

    Raises ValidationFailed for an unknown language.
    """
    if locale not in LANGUAGES:
        raise ValidationFailed(_l("Choose Russian or English."))
    if user.locale != locale:
        user.locale = locale
        db.session.commit()
    return user


# --- Mail that would tell whether an address has an account ---------------------------------
# Registration and "forgot password" answer alike for known and unknown addresses; the mail for
# a known one is built and written after the response (shop.accounts.deferred), so neither its
# cost nor its outbox row shows in the answer. Each function here is such a job: it gets ids,
# not objects (the request's session is gone), builds its links from PUBLIC_URL, and commits.


def _account_mail(user: User, template: str, **context) -> None:
    outbox.queue_email(
        user.email, f"account/{template}", user.locale, f"account_{template}", user=user, **context
    )


def _confirmation_link(user: User) -> str | None:
    """A link confirming the user's address, while it is not confirmed yet."""
    from flask_security.confirmable import generate_confirmation_token

    if not current_app.extensions["security"].confirmable or user.confirmed_at is not None:
        return None
    return public_url_for("security.confirm_email", token=generate_confirmation_token(user))


def _reset_link(user: User) -> tuple[str, str]:
    """A password-reset link for the user, and its token."""
    from flask_security.recoverable import generate_reset_password_token

    token = generate_reset_password_token(user)
    return public_url_for("security.reset_password", token=token), token


def register_shopper(form, consent=None) -> User:
    """Create the account from a validated registration form, and commit.

    `consent` (a shop.legal.services.Grant: the personal data policy's version accepted on the
    form) is recorded with the account, in the same transaction.

    Flask-Security's `register_user` hashes the password, creates the user and sends
    `user_registered` (which gives the account its language and the customer role); the
    welcome mail is not sent here (SECURITY_SEND_REGISTER_EMAIL is off) but by
    `queue_welcome`, after the response.
    """
    from flask_security.registerable import register_user

    user = register_user(form)
    if consent is not None:
        db.session.flush()
        legal.add_consents(consent, email=user.email, user_id=user.id)
    db.session.commit()
    return user


def queue_welcome(user_id: int) -> None:
    """Write the welcome mail (with the confirmation link) of a newly registered account."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return
    _account_mail(user, "welcome", confirmation_link=_confirmation_link(user))
    db.session.commit()


def queue_already_registered(user_id: int) -> None:
    """Tell the owner of an address that someone tried to register with it, with a reset link
    (Flask-Security's "existing email" mail, written after the response)."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return
    _account_mail(
        user,
        "welcome_existing",
        reset_link=_reset_link(user)[0],
        confirmation_link=_confirmation_link(user),
    )
    db.session.commit()


def queue_reset_instructions(user_id: int | None) -> None:
    """Write the password-reset mail for an account that asked for one (None: no account)."""
    from flask_security import reset_password_instructions_sent

    if user_id is None:
        return
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return
    link, token = _reset_link(user)
    _account_mail(user, "reset_instructions", reset_link=link)
    db.session.commit()
    reset_password_instructions_sent.send(
        current_app._get_current_object(), user=user, token=token, reset_token=token
    )


# --- Change of email: tell the old address, and let it undo the change ----------------------

EMAIL_CHANGE_UNDO_WITHIN = timedelta(days=7)
_UNDO_SALT = "shop-undo-email-change"


def _undo_serializer():
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_UNDO_SALT)


def notify_email_changed(user: User, old_email: str) -> None:
    """Mail the old address that the account's email is now `user.email`, with a link that
    puts the old address back and ends every session (see `undo_email_change`).

    No commit: written together with the change of address by Flask-Security's confirm view.
    The link is bound to the account id, not to its session uniquifier, so a password reset
    by whoever holds the new address cannot invalidate it.
    """
    token = _undo_serializer().dumps([user.id, old_email])
    outbox.queue_email(
        old_email,
        "account/email_changed",
        user.locale,
        "account_email_changed",
        user=user,
        old_email=old_email,
        new_email=user.email,
        undo_link=public_url_for("accounts.undo_email_change", token=token),
        days=EMAIL_CHANGE_UNDO_WITHIN.days,
    )


def read_undo_token(token: str) -> tuple[User, str]:
    """The account and the old address an undo link is about.

    Raises ValidationFailed for a link that is forged, damaged or older than
    EMAIL_CHANGE_UNDO_WITHIN, or whose account has been deleted.
    """
    from itsdangerous import BadSignature, SignatureExpired

    try:
        user_id, old_email = _undo_serializer().loads(
            token, max_age=EMAIL_CHANGE_UNDO_WITHIN.total_seconds()
        )
    except SignatureExpired as exc:
        raise ValidationFailed(
            _l("This link has expired. If your account was taken over, please write to us.")
        ) from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise ValidationFailed(_l("This link is not valid.")) from exc
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or not isinstance(old_email, str):
        raise ValidationFailed(_l("This link is not valid."))
    return user, old_email


def undo_email_change(token: str) -> User:
    """Put the old address back and end every session of the account (the one who changed it
    is logged out; the owner then sets a new password through the old address).

    Raises ValidationFailed for a bad or expired link (`read_undo_token`), or when the old
    address has since been taken by another account; nothing changes then.
    """
    user, old_email = read_undo_token(token)
    if user.email.lower() != old_email.lower():
        datastore = current_app.extensions["security"].datastore
        other = datastore.find_user(case_insensitive=True, email=old_email)
        if other is not None and other.id != user.id:
            raise ValidationFailed(
                _l(
                    "The address %(email)s now belongs to another account. Please write to us.",
                    email=old_email,
                )
            )
    user.email = old_email
    user.confirmed_at = user.confirmed_at or utcnow()  # the link came to this address
    end_all_sessions(user)  # commits the whole change
    return user


# --- Staff accounts made in the back office ---------------------------------------------------
# An administrator creates the account (email, name, language, staff roles); the new member
# sets their own password through an emailed link, Flask-Security's password-reset token, so
# nobody else ever knows it. Until then the account has a random password nobody knows.


def create_staff(
    email: str,
    *,
    full_name: str | None,
    roles,
    locale: str = "ru",
    also=None,
) -> User:
    """Create a staff account and write its invitation (a set-password link) to the outbox.

    `roles` are names from STAFF_ROLES; `also(user)` runs in the same transaction before the
    commit (the back office's audit entry). Raises ValidationFailed for a malformed email, an
    address that already has an account (give that account a role instead), no staff role or
    an unknown one, or an unknown language; nothing is written then.
    """
    import secrets

    from email_validator import EmailNotValidError, validate_email

    try:
        email = validate_email((email or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationFailed(_l("Invalid email address.")) from exc
    names = sorted(set(roles or ()))
    if not names or any(name not in STAFF_ROLES for name in names):
        raise ValidationFailed(_l("Choose at least one staff role."))
    if locale not in LANGUAGES:
        raise ValidationFailed(_l("Choose Russian or English."))
    full_name = (full_name or "").strip() or None
    if full_name and len(full_name) > 120:
        raise ValidationFailed(_l("The name is too long (at most 120 characters)."))
    datastore = current_app.extensions["security"].datastore
    if datastore.find_user(case_insensitive=True, email=email) is not None:
        raise ValidationFailed(
            _l(
                "An account with the address %(email)s already exists: give it a role on its "
                "page instead.",
                email=email,
            )
        )
    known = ensure_roles()
    user = datastore.create_user(
        email=email,
        full_name=full_name,
        locale=locale,
        active=True,
        password=hash_password(secrets.token_urlsafe(32)),
        roles=[known[name] for name in names],
    )
    db.session.flush()
    if also is not None:
        also(user)
    _staff_invitation(user)
    db.session.commit()
    return user


def invite_staff(user_id: int, also=None) -> User:
    """Write a new invitation (a fresh set-password link) for a staff account, and commit.

    Raises NotFound for an unknown account, ValidationFailed for one that is not active staff.
    """
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("Account not found."))
    if not user.active or not user.is_staff:
        raise ValidationFailed(_l("Only an active staff account can be sent an invitation."))
    if also is not None:
        also(user)
    _staff_invitation(user)
    db.session.commit()
    return user


def _staff_invitation(user: User) -> None:
    from flask_security.utils import _config_value  # how Flask-Security itself reads it

    within = _config_value("RESET_PASSWORD_WITHIN")
    _account_mail(
        user,
        "staff_invitation",
        reset_link=_reset_link(user)[0],
        hours=_hours(within),
        login_link=_public("security.login"),
    )


def _public(endpoint: str) -> str:
    return public_url_for(endpoint)


def _hours(within) -> int:
    """Flask-Security's "1 days" / "12 hours" (or a timedelta) in whole hours."""
    if isinstance(within, timedelta):
        return max(1, int(within.total_seconds() // 3600))
    number, _space, unit = str(within).strip().partition(" ")
    per_unit = {"day": 24, "hour": 1, "week": 168, "minute": 0}
    factor = next((v for k, v in per_unit.items() if unit.startswith(k)), 24)
    return max(1, int(number) * factor) if number.isdigit() else 24
