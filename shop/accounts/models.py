"""User, Role and Address.

User and Role take their columns from Flask-Security-Too's fsqla_v3 mixins (login tracking,
two-factor, recovery codes, WebAuthn handle) and add what a shop needs: a name, a phone and the
preferred language used for pages and emails.
"""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_security.models import fsqla_v3 as fsqla
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.models import TimestampMixin, utcnow
from shop.extensions import db

fsqla.FsModels.set_db_info(db, user_table_name="user", role_table_name="role")

STAFF_ROLES = ("admin", "manager", "warehouse")
ALL_ROLES = (*STAFF_ROLES, "customer")
ROLE_LABELS = {
    "admin": _l("Administrator"),
    "manager": _l("Manager"),
    "warehouse": _l("Warehouse"),
    "customer": _l("Customer"),
}


class Role(db.Model, fsqla.FsRoleMixin):
    __tablename__ = "role"

    @property
    def label(self) -> str:
        """The role's name in the reader's language (the stored name stays English)."""
        return str(ROLE_LABELS.get(self.name, self.name))

    def __str__(self):
        return self.label


class User(db.Model, fsqla.FsUserMixin):
    __tablename__ = "user"

    full_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(5), default="ru", nullable=False)
    # An IANA zone name ("Asia/Yekaterinburg") a staff member chose for the back office's
    # dates; empty: the shop's own (BABEL_DEFAULT_TIMEZONE).
    timezone: Mapped[str | None] = mapped_column(String(64))
    # The time step of the last two-factor code accepted: no code is good twice (accounts.totp).
    tf_totp_last_counter: Mapped[int | None] = mapped_column(Integer)

    addresses = relationship(
        "Address", back_populates="user", cascade="all, delete-orphan", order_by="Address.id"
    )

    @property
    def is_staff(self) -> bool:
        return any(self.has_role(r) for r in STAFF_ROLES)

    def _staff_needs_two_factor(self) -> bool:
        from flask import current_app

        return bool(current_app.config.get("STAFF_TWO_FACTOR_REQUIRED")) and self.is_staff

    def check_tf_required(self, tf_setup_methods, tf_fresh):
        """Staff must pass (and so first set up) two-factor; shoppers only when they chose it.

        Flask-Security calls this after the password is accepted: returning True with no
        method set up sends the user to the two-factor setup page before they are logged in.
        """
        if self._staff_needs_two_factor():
            from flask_security.utils import _config_value as config_value

            if config_value("TWO_FACTOR_ALWAYS_VALIDATE") or not tf_fresh:
                return True, tf_setup_methods
        return super().check_tf_required(tf_setup_methods, tf_fresh)

    def check_tf_required_setup(self) -> bool:
        return self._staff_needs_two_factor() or super().check_tf_required_setup()

    def __str__(self):
        return self.email


class Address(TimestampMixin, db.Model):
    """A shopper's saved delivery address; orders copy it, so editing it never rewrites history."""

    __tablename__ = "address"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True, nullable=False
    )
    recipient: Mapped[str] = mapped_column(String(120), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(64), nullable=False, default="Россия")
    region: Mapped[str | None] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(120), nullable=False)
    postcode: Mapped[str | None] = mapped_column(String(16))
    # The street's name; addresses saved before house and flat had fields of their own (migration
    # 0017) keep the house and flat here too, as typed, and have neither of the two below.
    street: Mapped[str] = mapped_column(String(255), nullable=False)
    house: Mapped[str | None] = mapped_column(String(32))
    flat: Mapped[str | None] = mapped_column(String(16))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    user = relationship("User", back_populates="addresses")

    def one_line(self) -> str:
        return format_address(
            postcode=self.postcode, country=self.country, region=self.region, city=self.city,
            street=self.street, house=self.house, flat=self.flat,
        )


# The names a shopper may give the country we deliver in: the country is left out of the line
# for them (a parcel within Russia needs none), and their postcode must be Russia's six digits.
HOME_COUNTRY_NAMES = frozenset({"россия", "russia", "рф", "российская федерация",
                                "russian federation"})


def is_home_country(country: str | None) -> bool:
    return not country or " ".join(country.lower().replace(".", "").split()) in HOME_COUNTRY_NAMES


def format_address(*, postcode=None, country=None, region=None, city=None, street=None,
                   house=None, flat=None) -> str:
    """One line in the order the Russian Post writes it: "101000, Москва, ул. Мясницкая, д. 10,
    кв. 5". The order keeps this line as its snapshot, so it reads the same everywhere: on the
    order's page, in its emails, in the back office and on a carrier's label.

    The country only when it is another one; the region only when it is not the city itself
    (Moscow, St Petersburg, Sevastopol); the words for "house" and "flat" in the reader's
    language; a flat that already says what it is ("офис 3") as it is.
    """
    parts = [postcode]
    if not is_home_country(country):
        parts.append(country)
    if region and (not city or region.strip().casefold() != city.strip().casefold()):
        parts.append(region)
    parts += [city, street]
    if house:
        parts.append(_("bldg %(number)s", number=house))
    if flat:
        parts.append(flat if flat[:1].isalpha() else _("apt %(number)s", number=flat))
    return ", ".join(p.strip() for p in parts if p and p.strip())


class RevokedSession(db.Model):
    """A logged-out session (or remember-me cookie), by the SHA-256 of its random id.

    Session cookies are signed, not stored, so a copy of one would stay valid after logout;
    listing the ids of ended sessions until they would have expired anyway lets us refuse it.
    """

    __tablename__ = "revoked_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)


class CustomerNote(db.Model):
    """What staff want each other to know about a customer ("prefers calls after 18:00"),
    written in the back office, read newest first. Never shown to the customer; removed with
    the rest of their personal data when the account is erased (services.erase_account)."""

    __tablename__ = "customer_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True, nullable=False
    )
    # The staff member who wrote it; the note stays when their account goes.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    author = relationship("User", foreign_keys=[author_id])
