"""Public legal pages (/legal/<slug>), and the page where a signed-in shopper accepts a new
version of the personal data policy or the offer (the header links to it while one waits)."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_security import auth_required
from flask_wtf import FlaskForm

from shop.core.errors import DomainError, NotFound
from shop.core.net import client_address
from shop.core.urls import safe_next
from shop.core.views import render_error
from shop.legal import services
from shop.legal.models import CONSENT_KINDS

bp = Blueprint("legal", __name__, url_prefix="/legal")

# What the footer and the consent boxes call each document (no query: the footer is on every
# page). Staff's titles are shown on the documents' own pages.
NAMES = {
    "offer": _l("Public offer"),
    "privacy": _l("Personal data policy"),
    "delivery": _l("Delivery and payment"),
    "returns": _l("Returning goods"),
    "contacts": _l("Contacts"),
}


def grant_from(versions: dict) -> services.Grant:
    """What the shopper accepted, with where they accepted it from (for the consent rows)."""
    return services.Grant(
        versions=dict(versions),
        ip=client_address(),
        user_agent=request.headers.get("User-Agent"),
    )


@bp.app_template_global()
def legal_names():
    return NAMES


# Session key: [user id, *latest version ids] once that user had nothing left to accept.
SETTLED_KEY = "legal_settled"


@bp.app_template_global()
def legal_pending():
    """The new versions waiting for the signed-in shopper's acceptance (the header asks on
    every page). Once none is pending, the session remembers for which versions (and whom), so
    later pages ask the database again only after a publication."""
    if not current_user.is_authenticated or current_user.is_staff:
        return []
    settled = [current_user.id, *services.latest_version_ids()]
    if session.get(SETTLED_KEY) == settled:
        return []
    pending = services.pending_for(current_user.id)
    if not pending:
        session[SETTLED_KEY] = settled
    return pending


class AcceptForm(FlaskForm):
    """CSRF only: the versions accepted come as hidden fields (the ones the page showed)."""


@bp.get("/<slug>")
def page(slug):
    try:
        version = services.current_version(slug)
    except NotFound:
        return render_error(404)
    return render_template("legal/page.html", version=version, slug=slug)


@bp.route("/updates", methods=["GET", "POST"])
@auth_required()
def updates():
    pending = legal_pending()
    form = AcceptForm()
    if form.validate_on_submit():
        versions = {}
        for kind in CONSENT_KINDS:
            raw = request.form.get(kind, "")
            if raw.isascii() and raw.isdigit() and len(raw) < 10:
                versions[kind] = int(raw)
        try:
            services.accept_pending(current_user._get_current_object(), grant_from(versions))
        except DomainError as exc:
            flash(str(exc.message), "error")
            return redirect(url_for(".updates"))
        flash(_("Thank you: your consent has been recorded."), "success")
        return redirect(safe_next(default=url_for("catalog.home")))
    if not pending:
        return redirect(safe_next(default=url_for("catalog.home")))
    return render_template("legal/updates.html", pending=pending, form=form)
