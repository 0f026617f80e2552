"""Profile, address book, "download my data", "delete my account", registration, undoing a
change of email.

Login, passwords, email change and two-factor are Flask-Security-Too's views under the same
/account prefix (templates in templates/security/); registration is Flask-Security's too, in a
view of ours that does not sign the new account in (see `register`). Every page here is for the
logged-in owner only, and addresses are always looked up together with their owner: someone
else's id is a 404, never a peek.
"""

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_security import (
    auth_required,
    change_email_confirmed,
    logout_user,
    tf_code_confirmed,
    tf_profile_changed,
    url_for_security,
    user_authenticated,
)
from flask_security.decorators import anonymous_user_required

from shop.accounts import deferred, services
from shop.accounts.deferred import after_response
from shop.accounts.forms import (
    AddressForm,
    ChangeEmailWithPasswordForm,
    ConfirmForm,
    DeleteAccountForm,
    ProfileForm,
    ShopForgotPasswordForm,
)
from shop.accounts.security import init_app as init_security
from shop.accounts.timezones import zone_choices
from shop.core.errors import DomainError, NotFound
from shop.core.views import language_chosen
from shop.legal import services as legal
from shop.legal.views import grant_from

bp = Blueprint("accounts", __name__, url_prefix="/account")


def init_app(app):
    """Plug the accounts feature into Flask-Security's views (forms, registration, rate limits,
    mail after the response, signals); called from `create_app`'s `register_blueprints`, after
    Flask-Security has added its own views."""
    if app.extensions.get("shop_accounts"):
        return
    app.extensions["shop_accounts"] = True
    forms = app.extensions["security"].forms
    forms["forgot_password_form"].cls = ShopForgotPasswordForm
    forms["change_email_form"].cls = ChangeEmailWithPasswordForm
    # Before init_app, which wraps the views (this one included) in rate limits.
    app.view_functions["security.register"] = register
    init_security(app)
    deferred.init_app(app)
    user_authenticated.connect(_remind_unconfirmed)
    change_email_confirmed.connect(_tell_the_old_address)
    tf_profile_changed.connect(_offer_recovery_codes)
    tf_code_confirmed.connect(_offer_recovery_codes_after_first_setup)
    language_chosen.connect(_save_language)


def _save_language(sender, user, code, **extra):
    """The language switch's POST: keep it as the user's language for pages and emails."""
    services.save_language(user, code)


TWO_FACTOR_JUST_SET_UP = "tf_just_set_up"


def _offer_recovery_codes(sender, user, method=None, **extra):
    """Two-factor authentication was just turned on: /account/start shows recovery codes."""
    if method and method != "disable":
        session[TWO_FACTOR_JUST_SET_UP] = True


def _offer_recovery_codes_after_first_setup(sender, user, method=None, **extra):
    # The first code of a set-up made during login (staff must have two-factor): Flask-Security
    # reports it as a confirmed login code; the session still says it was a set-up.
    if session.get("tf_state") == "validating_profile":
        session[TWO_FACTOR_JUST_SET_UP] = True


def _tell_the_old_address(sender, user, old_email, **extra):
    """A confirmed change of email is announced to the old address, with a way to undo it."""
    services.notify_email_changed(user, old_email)


def _remind_unconfirmed(sender, user, **extra):
    if user.confirmed_at is None:
        flash(
            _(
                "Please confirm your email address: open the link we sent you. "
                "You can ask for a new link in your profile."
            ),
            "warning",
        )


@bp.after_app_request
def _no_store_for_account_pages(response):
    """Account pages carry personal data: never keep them in a shared or browser cache."""
    if request.path == "/account" or request.path.startswith("/account/"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


@bp.route("/")
@auth_required()
def index():
    return redirect(url_for(".profile"))


@bp.get("/start")
@auth_required()
def start():
    """Where a login (and a two-factor set-up) ends when no `next` page was asked for: staff
    go to the back office, shoppers to the shop. Right after two-factor authentication was
    set up, the recovery codes come first: the moment to keep them is now."""
    if session.pop(TWO_FACTOR_JUST_SET_UP, False) and current_app.config.get(
        "SECURITY_MULTI_FACTOR_RECOVERY_CODES"
    ):
        return redirect(url_for_security("mf_recovery_codes", setup=1))
    if current_user.is_staff:
        return redirect(url_for("admin.index"))
    return redirect(url_for("catalog.home"))


@bp.route("/profile", methods=["GET", "POST"])
@auth_required()
def profile():
    form = ProfileForm(obj=current_user)
    form.timezone.choices = zone_choices(others=False, current=current_user.timezone)
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user,
                full_name=form.full_name.data,
                phone=form.phone.data,
                locale=form.locale.data,
                # a form posted without the field (an older page) keeps the saved zone
                timezone=form.timezone.data if "timezone" in request.form else None,
            )
        except DomainError as exc:
            flash(str(exc.message), "danger")
            form.timezone.data = current_user.timezone or ""  # nothing was saved
        else:
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for(".profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/addresses")
@auth_required()
def addresses():
    return render_template(
        "accounts/addresses.html", addresses=current_user.addresses, action_form=ConfirmForm()
    )


@bp.route("/addresses/new", methods=["GET", "POST"])
@auth_required()
def address_new():
    form = AddressForm()
    if request.method == "GET" and not form.recipient.data:
        form.recipient.data = current_user.full_name
        form.phone.data = current_user.phone
    if form.validate_on_submit():
        services.add_address(current_user, form.data_for_service())
        flash(_("The address has been added."), "success")
        return redirect(url_for(".addresses"))
    return render_template("accounts/address_form.html", form=form, address=None)


MAX_ID = 2**31 - 1  # larger ids cannot exist, and overflow the database's integer


def _own_address_or_404(address_id):
    if address_id > MAX_ID:
        abort(404)
    try:
        return services.get_address(current_user, address_id)
    except NotFound:
        abort(404)


@bp.route("/addresses/<int:address_id>/edit", methods=["GET", "POST"])
@auth_required()
def address_edit(address_id):
    address = _own_address_or_404(address_id)
    form = AddressForm(obj=address)
    if form.validate_on_submit():
        services.update_address(current_user, address.id, form.data_for_service())
        flash(_("The address has been saved."), "success")
        return redirect(url_for(".addresses"))
    return render_template("accounts/address_form.html", form=form, address=address)


@bp.route("/addresses/<int:address_id>/delete", methods=["POST"])
@auth_required()
def address_delete(address_id):
    _own_address_or_404(address_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.delete_address(current_user, address_id)
    flash(_("The address has been deleted."), "success")
    return redirect(url_for(".addresses"))


@bp.route("/addresses/<int:address_id>/default", methods=["POST"])
@auth_required()
def address_default(address_id):
    _own_address_or_404(address_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_default_address(current_user, address_id)
    flash(_("This is now your default address."), "success")
    return redirect(url_for(".addresses"))


@bp.route("/data")
@auth_required()
def data_export():
    """ "Download my data": a JSON file of the profile, the addresses and the orders."""
    payload = json.dumps(services.export_user_data(current_user), ensure_ascii=False, indent=2)
    return Response(
        payload,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="lavka-my-data.json"'},
    )


@bp.route("/delete", methods=["GET", "POST"])
@auth_required()
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.delete_account(user, form.password.data)
        except DomainError as exc:
            form.password.errors.append(str(exc.message))
        else:
            logout_user()
            flash(_("Your account has been deleted. Thank you for shopping with us."), "info")
            return redirect(url_for("catalog.home"))
    return render_template("accounts/delete.html", form=form)


# --- Registration -------------------------------------------------------------------------


@anonymous_user_required
def register():
    """Flask-Security's registration, answering alike for a new and a registered address.

    Flask-Security signs a new account in at once (LOGIN_WITHOUT_CONFIRMATION), which tells
    anyone whether the address was free. Here neither is signed in: both get Flask-Security's
    "confirm your email" message and the same redirect (the login page, where the new shopper
    can log in with the password straight away). The mail, a welcome or a "you already have an
    account" one, is written after the response has been sent (shop.accounts.deferred).
    Serves the endpoint `security.register` (wired in `_setup`).
    """
    from flask_security.forms import _build_form_from_request
    from flask_security.registerable import register_existing
    from flask_security.utils import _config_value, _get_post_register_redirect

    security = current_app.extensions["security"]
    form = _build_form_from_request("register_form")
    if form.validate_on_submit():
        policy = legal.current_version("privacy")
        user = services.register_shopper(form, consent=grant_from({"privacy": policy.id}))
        after_response(services.queue_welcome, user.id)
        return redirect(_get_post_register_redirect())
    # Flask-Security's generic answer: True when the only problem is an address in use.
    if request.method == "POST" and register_existing(form):
        after_response(services.queue_already_registered, form.existing_email_user.id)
        return redirect(_get_post_register_redirect())
    return security.render_template(
        _config_value("REGISTER_USER_TEMPLATE"),
        register_user_form=form,
        **security._run_ctx_processor("register"),
    )


# --- Undoing a change of email (the link mailed to the old address) -----------------------


@bp.route("/email/undo/<token>", methods=["GET", "POST"])
def undo_email_change(token):
    """GET shows what the link will do (a mail scanner fetching it changes nothing); the POST
    puts the old address back and logs everyone out, then leads to "forgot password"."""
    form = ConfirmForm()
    try:
        user, old_email = services.read_undo_token(token)
        if not form.validate_on_submit():
            return render_template(
                "security/undo_email_change.html",
                form=form,
                old_email=old_email,
                current_email=user.email,
            )
        services.undo_email_change(token)
    except DomainError as exc:
        flash(str(exc.message), "danger")
        if current_user.is_authenticated:
            return redirect(url_for(".profile"))
        return redirect(url_for_security("login"))
    if current_user.is_authenticated:
        logout_user()
    flash(
        _(
            "%(email)s is the address of your account again, and everyone has been logged "
            "out of it. Please set a new password now.",
            email=old_email,
        ),
        "success",
    )
    return redirect(url_for_security("forgot_password"))
