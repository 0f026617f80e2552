"""LegalDocument (one per slug), its LegalVersions (each edit of the text publishes one; old
ones stay readable for staff) and Consent rows (proof that someone accepted one version)."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.i18n import current_language
from shop.core.models import utcnow
from shop.extensions import db

# The documents the shop publishes, in the order the footer lists them.
SLUGS = ("offer", "privacy", "delivery", "returns", "contacts")
# What a consent can be given to: the public offer, and the processing of personal data.
CONSENT_KINDS = ("offer", "privacy")


class LegalDocument(db.Model):
    __tablename__ = "legal_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    versions = relationship(
        "LegalVersion",
        back_populates="document",
        order_by="LegalVersion.number.desc()",
        cascade="all, delete-orphan",
    )

    @property
    def current(self):
        return self.versions[0] if self.versions else None


class LegalVersion(db.Model):
    """One published text of a document, in both languages. Never changed once published."""

    __tablename__ = "legal_version"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_legal_version_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("legal_document.id", ondelete="CASCADE"), index=True, nullable=False
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    title_ru: Mapped[str] = mapped_column(String(200), nullable=False)
    title_en: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    body_ru: Mapped[str] = mapped_column(Text, nullable=False)
    body_en: Mapped[str] = mapped_column(Text, nullable=False, default="")

    document = relationship("LegalDocument", back_populates="versions")
    published_by = relationship("User")

    @property
    def slug(self) -> str:
        return self.document.slug

    def _in(self, field: str, lang: str | None = None) -> str:
        """The reader's language, else the other one (a text may exist in one language only)."""
        lang = lang or current_language()
        other = "en" if lang == "ru" else "ru"
        return getattr(self, f"{field}_{lang}", None) or getattr(self, f"{field}_{other}") or ""

    @property
    def title(self) -> str:
        return self._in("title")

    @property
    def body(self) -> str:
        return self._in("body")

    def language_shown(self) -> str:
        """The language the body is shown in to this reader (for the page's lang attribute)."""
        lang = current_language()
        return lang if getattr(self, f"body_{lang}", None) else ("en" if lang == "ru" else "ru")


class Consent(db.Model):
    """Someone accepted one version of the offer or of the personal data policy.

    Kept as the shop's proof: the user or the order (either may be gone later: SET NULL), the
    email given, when, the client's address and browser, and the exact version accepted.
    """

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("order.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("legal_version.id"), index=True, nullable=False
    )
    accepted_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, nullable=False, index=True
    )
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    version = relationship("LegalVersion")
    user = relationship("User")
    order = relationship("Order")
