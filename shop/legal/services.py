"""Legal documents and consents: publish a new version, read the current ones, record and
list consents. One call, one transaction; errors are domain errors.

The five documents exist from the first time anything asks for one: a new shop gets the
templates of shop.legal.defaults as version 1 (`ensure_documents`), which its owner must
replace in the back office.
"""

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, selectinload

from shop.audit import services as audit
from shop.catalog.sanitize import clean_html
from shop.core.cache import catalogue_cached, note_catalogue_change
from shop.core.errors import NotFound, ValidationFailed
from shop.core.models import utcnow
from shop.extensions import db
from shop.legal.defaults import default_text
from shop.legal.models import CONSENT_KINDS, SLUGS, Consent, LegalDocument, LegalVersion

TITLE_MAX = 200
BODY_MAX = 200_000


class DocumentsChanged(ValidationFailed):
    """A document was published again after the shopper ticked the box for the old version."""

    message = _l(
        "The shop's terms or personal data policy have just changed. Please read them and "
        "tick the boxes again."
    )


@dataclass
class Grant:
    """What a shopper accepted and where from: {kind: version id}, the client's address and
    browser (the view reads them from the request; services never do)."""

    versions: dict = field(default_factory=dict)
    ip: str | None = None
    user_agent: str | None = None


def ensure_documents() -> None:
    """Create the documents that do not exist yet, each with its template as version 1."""
    have = set(db.session.scalars(select(LegalDocument.slug)))
    missing = [slug for slug in SLUGS if slug not in have]
    if not missing:
        return
    try:
        for slug in missing:
            document = LegalDocument(slug=slug)
            document.versions.append(
                LegalVersion(number=1, published_at=utcnow(),
                             **default_text(slug, current_app.config))
            )
            db.session.add(document)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another request created them at the same moment


def _current_query(slugs):
    latest = (
        select(func.max(LegalVersion.id))
        .join(LegalDocument)
        .where(LegalDocument.slug.in_(slugs))
        .group_by(LegalVersion.document_id)
    )
    return (
        select(LegalVersion)
        .where(LegalVersion.id.in_(latest))
        .options(selectinload(LegalVersion.document))
    )


def current_versions(slugs=SLUGS) -> dict[str, LegalVersion]:
    """{slug: its current version} for the known `slugs` (templates created when missing)."""
    slugs = [s for s in slugs if s in SLUGS]
    found = {v.document.slug: v for v in db.session.scalars(_current_query(slugs))}
    if len(found) < len(slugs):
        ensure_documents()
        found = {v.document.slug: v for v in db.session.scalars(_current_query(slugs))}
    return found


def current_version(slug: str) -> LegalVersion:
    """The published text of document `slug`. Raises NotFound for an unknown slug."""
    if slug not in SLUGS:
        raise NotFound()
    version = current_versions([slug]).get(slug)
    if version is None:
        raise NotFound()
    return version


def documents() -> list[LegalDocument]:
    """Every document, in the footer's order, with its versions (newest first)."""
    ensure_documents()
    rows = db.session.scalars(
        select(LegalDocument).options(selectinload(LegalDocument.versions))
    ).all()
    return sorted(rows, key=lambda d: SLUGS.index(d.slug) if d.slug in SLUGS else len(SLUGS))


def get_version(slug: str, number: int) -> LegalVersion:
    """Version `number` of document `slug`. Raises NotFound."""
    version = db.session.scalar(
        select(LegalVersion)
        .join(LegalDocument)
        .where(LegalDocument.slug == slug, LegalVersion.number == number)
    )
    if version is None:
        raise NotFound()
    return version


def _clean_text(value, limit):
    value = "".join(c for c in (value or "") if c >= " " or c in "\n\t").strip()
    if len(value) > limit:
        raise ValidationFailed(_l("The text is too long."))
    return value


def publish(slug: str, *, title_ru: str, body_ru: str, title_en: str = "", body_en: str = "",
            actor=None, ip: str | None = None) -> LegalVersion | None:
    """Publish the edited text of `slug` as its next version, and commit.

    Bodies are HTML cleaned like product descriptions (formatting only). Returns the new
    version, or None when the text is the same as the current one (nothing published).
    Raises NotFound (unknown slug), ValidationFailed (no Russian title or text, a title
    without its text or the other way round, text too long).
    """
    current = current_version(slug)
    values = {
        "title_ru": _clean_text(title_ru, TITLE_MAX),
        "title_en": _clean_text(title_en, TITLE_MAX),
        "body_ru": clean_html(_clean_text(body_ru, BODY_MAX)).strip(),
        "body_en": clean_html(_clean_text(body_en, BODY_MAX)).strip(),
    }
    if not values["title_ru"] or not values["body_ru"]:
        raise ValidationFailed(_l("The title and the text in Russian are required."))
    if bool(values["title_en"]) != bool(values["body_en"]):
        raise ValidationFailed(
            _l("Fill in both the English title and the English text, or leave both empty.")
        )
    if all(getattr(current, name) == value for name, value in values.items()):
        return None
    version = LegalVersion(
        document_id=current.document_id,
        number=current.number + 1,
        published_at=utcnow(),
        published_by_id=getattr(actor, "id", None),
        **values,
    )
    db.session.add(version)
    try:
        db.session.flush()
        audit.record("publish", "LegalVersion", version.id,
                     after={"document": slug, "number": version.number}, actor=actor, ip=ip)
        # the latest versions are kept with the catalogue's shared caches (latest_version_ids)
        note_catalogue_change(db.session)
        db.session.commit()
    except IntegrityError as exc:
        # Someone else published this number a moment ago.
        db.session.rollback()
        raise ValidationFailed(
            _l("Someone else has just published a new version. Open the document again.")
        ) from exc
    return version


def check_current(grant: Grant, kinds=CONSENT_KINDS) -> None:
    """Raises DocumentsChanged unless `grant` accepts the current version of every kind.

    Reads only (no templates created here: it runs inside the caller's transaction)."""
    current = {v.document.slug: v.id for v in db.session.scalars(_current_query(kinds))}
    if any(grant.versions.get(kind) != current.get(kind) for kind in kinds):
        raise DocumentsChanged()


def add_consents(grant: Grant, *, email: str, user_id=None, order_id=None) -> list[Consent]:
    """Add a Consent row per accepted version (no commit: the caller's transaction, so the
    consent is recorded together with the order or the account it was given for)."""
    rows = []
    for kind in CONSENT_KINDS:
        version_id = grant.versions.get(kind)
        if version_id is None:
            continue
        row = Consent(
            user_id=user_id,
            order_id=order_id,
            email=(email or "").strip().lower()[:255],
            kind=kind,
            version_id=version_id,
            accepted_at=utcnow(),
            ip_address=(grant.ip or None) and grant.ip[:64],
            user_agent=(grant.user_agent or None) and grant.user_agent[:255],
        )
        db.session.add(row)
        rows.append(row)
    return rows


def latest_version_ids() -> list[int]:
    """The ids of every document's current version, kept with the catalogue's shared caches
    (a publication moves their version): what a signed-in shopper accepted is compared with
    these on every page without a statement."""
    return catalogue_cached(("legal-latest",), lambda: sorted(db.session.scalars(
        select(func.max(LegalVersion.id)).group_by(LegalVersion.document_id)
    )))


def pending_for(user_id: int) -> list[LegalVersion]:
    """The current versions this user is asked to accept: the personal data policy unless
    its current version is accepted, and the offer when an older offer was accepted (a new
    version of what they agreed to). One statement: it runs on every page they open."""
    accepted = exists().where(Consent.user_id == user_id, Consent.version_id == LegalVersion.id)
    offer_before = exists().where(Consent.user_id == user_id, Consent.kind == "offer")
    latest = select(func.max(LegalVersion.id)).group_by(LegalVersion.document_id)
    return list(
        db.session.scalars(
            select(LegalVersion)
            .join(LegalDocument)
            .where(
                LegalVersion.id.in_(latest),
                ~accepted,
                (LegalDocument.slug == "privacy")
                | and_(LegalDocument.slug == "offer", offer_before),
            )
            # The document comes in the same statement (contains_eager of the join).
            .options(contains_eager(LegalVersion.document))
            .order_by(LegalDocument.slug)
        )
    )


def accept_pending(user, grant: Grant) -> int:
    """Record the signed-in user's acceptance of the versions in `grant`, and commit.

    Only versions still pending for the user are recorded (a second click records nothing).
    Returns how many were recorded. Raises DocumentsChanged when a version shown has been
    replaced since (the shopper must read the new one).
    """
    pending = {v.document.slug: v.id for v in pending_for(user.id)}
    if any(pending.get(kind) not in (None, version_id)
           for kind, version_id in grant.versions.items()):
        raise DocumentsChanged()
    if any(kind not in grant.versions for kind in pending):
        raise DocumentsChanged()
    todo = Grant({k: v for k, v in grant.versions.items() if pending.get(k) == v},
                 grant.ip, grant.user_agent)
    rows = add_consents(todo, email=user.email, user_id=user.id)
    db.session.commit()
    return len(rows)


def anonymise_consents(user_id: int, placeholder_email: str) -> None:
    """A deleted account's consents keep the version and the time, not the email, the client
    address or the browser (no commit: the account deletion's transaction)."""
    db.session.execute(
        update(Consent)
        .where(Consent.user_id == user_id)
        .values(email=placeholder_email, ip_address=None, user_agent=None)
    )


def consents_of_user(user_id: int) -> list[Consent]:
    return list(
        db.session.scalars(
            select(Consent)
            .where(Consent.user_id == user_id)
            .options(
                selectinload(Consent.version).selectinload(LegalVersion.document),
                selectinload(Consent.order),
            )
            .order_by(Consent.accepted_at.desc(), Consent.id.desc())
        )
    )


def consents_of_order(order_id: int) -> list[Consent]:
    return list(
        db.session.scalars(
            select(Consent)
            .where(Consent.order_id == order_id)
            .options(selectinload(Consent.version).selectinload(LegalVersion.document))
            .order_by(Consent.id)
        )
    )


def export_consents(user_id: int) -> list[dict]:
    """The user's consents as plain JSON-ready data, for "download my data"."""
    return [
        {
            "kind": c.kind,
            "document": c.version.document.slug,
            "version": c.version.number,
            "version_published_at": c.version.published_at.isoformat(),
            "accepted_at": c.accepted_at.isoformat(),
            "email": c.email,
            "ip_address": c.ip_address,
            "user_agent": c.user_agent,
            "order": c.order.number if c.order is not None else None,
        }
        for c in consents_of_user(user_id)
    ]
