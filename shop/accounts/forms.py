"""Account forms. Each declares exactly the fields a shopper may change: anything else posted
(`roles`, `active`, `confirmed_at`, `fs_uniquifier`, `user_id`...) is never read."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_security.change_email import ChangeEmailForm
from flask_security.forms import ForgotPasswordForm, RegisterFormV2
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from shop.accounts.deferred import after_response
from shop.accounts.services import check_password, queue_reset_instructions
from shop.core.errors import ValidationFailed

PHONE_RE = r"^\+?[0-9][0-9 ()\-]{4,24}$"
PHONE_MESSAGE = _l(
    "Enter a phone number: digits, spaces, brackets and dashes, e.g. +7 900 123-45-67."
)
LANGUAGE_CHOICES = [("ru", "Русский"), ("en", "English")]


def _strip(value):
    """Trim, and drop control characters (PostgreSQL refuses NUL in text; none belong here)."""
    if not isinstance(value, str):
        return value
    return "".join(c for c in value if c >= " " or c == "\t").strip()


class ShopRegisterForm(RegisterFormV2):
    full_name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Please enter your name.")), Length(max=120)],
        filters=[_strip],
        render_kw={"autocomplete": "name"},
    )
    # A separate, unticked box (152-FZ): the account keeps personal data, so it needs the
    # consent; the offer is accepted with each order, at checkout.
    accept_privacy = BooleanField(
        _l("I consent to the processing of my personal data under the personal data policy"),
        validators=[
            DataRequired(_l("Please consent to the processing of your personal data."))
        ],
    )


class ShopForgotPasswordForm(ForgotPasswordForm):
    """The "forgot password" form, answered the same for every address, at the same cost.

    Flask-Security builds the reset mail inside the request for a known address and does a
    dummy password hash for an unknown one, so the answer's timing tells them apart. Here a
    known, active account makes `validate()` return False without an error, as an unknown
    address does: Flask-Security then answers through its generic branch (the same dummy hash,
    flash message and page) for both, and the reset mail is written after the response has
    been sent (shop.accounts.services.queue_reset_instructions).
    """

    def validate(self, **kwargs) -> bool:
        known = super().validate(**kwargs)
        after_response(queue_reset_instructions, self.user.id if known else None)
        self.user = None
        self.requires_confirmation = False
        return False


class ChangeEmailWithPasswordForm(ChangeEmailForm):
    """Flask-Security's change of email, which also asks for the current password: a session
    left open (or stolen) is not enough to move the account to another address."""

    password = PasswordField(
        _l("Your current password"),
        validators=[DataRequired(_l("Please enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )

    def validate(self, **kwargs) -> bool:
        valid = super().validate(**kwargs)
        # Checked even when the new address is taken: Flask-Security would otherwise answer
        # "link sent" for that case (so as not to reveal the address) without the password.
        if self.password.data:
            try:
                check_password(current_user, self.password.data)
            except ValidationFailed as exc:
                self.password.errors = [*self.password.errors, str(exc.message)]
                valid = False
        return valid


class ProfileForm(FlaskForm):
    full_name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Please enter your name.")), Length(max=120)],
        filters=[_strip],
    )
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=32), Regexp(PHONE_RE, message=PHONE_MESSAGE)],
        filters=[_strip],
    )
    locale = SelectField(_l("Language for pages and emails"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))


class AddressForm(FlaskForm):
    recipient = StringField(
        _l("Recipient"),
        validators=[DataRequired(_l("Please fill in this field.")), Length(max=120)],
        filters=[_strip],
    )
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=32), Regexp(PHONE_RE, message=PHONE_MESSAGE)],
        filters=[_strip],
    )
    country = StringField(
        _l("Country"),
        validators=[DataRequired(_l("Please fill in this field.")), Length(max=64)],
        filters=[_strip],
        default="Россия",
    )
    region = StringField(_l("Region"), validators=[Optional(), Length(max=120)], filters=[_strip])
    city = StringField(
        _l("City"),
        validators=[DataRequired(_l("Please fill in this field.")), Length(max=120)],
        filters=[_strip],
    )
    postcode = StringField(
        _l("Postcode"),
        validators=[
            Optional(),
            Length(max=16),
            Regexp(r"^[0-9A-Za-z \-]+$", message=_l("Enter a valid postcode.")),
        ],
        filters=[_strip],
    )
    street = StringField(
        _l("Street, house, flat"),
        validators=[DataRequired(_l("Please fill in this field.")), Length(max=255)],
        filters=[_strip],
    )
    is_default = BooleanField(_l("Use as my default address"))
    submit = SubmitField(_l("Save address"))

    def data_for_service(self) -> dict:
        return {
            name: getattr(self, name).data or None
            for name in ("recipient", "phone", "country", "region", "city", "postcode", "street")
        } | {"is_default": bool(self.is_default.data)}


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Please enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        _l("I understand that my account will be deleted and cannot be restored"),
        validators=[DataRequired(_l("Please tick the box to confirm."))],
    )
    submit = SubmitField(_l("Delete my account"))


class ConfirmForm(FlaskForm):
    """A bare form for POST buttons (delete an address, make it the default): CSRF only."""
