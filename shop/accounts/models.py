"""User, Role and Address.

User and Role take their columns from Flask-Security-Too's fsqla_v3 mixins (login tracking,
two-factor, recovery codes, WebAuthn handle) and add what a shop needs: a name, a phone and the
preferred language used for pages and emails.
"""

from datetime import datetime

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
    street: Mapped[str] = mapped_column(String(255), nullable=False)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    user = relationship("User", back_populates="addresses")

    def one_line(self) -> str:
        parts = [self.postcode, self.country, self.region, self.city, self.street]
        return ", ".join(p for p in parts if p)


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
