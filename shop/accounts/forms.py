"""Account forms. Each declares exactly the fields a shopper may change: anything else posted
(`roles`, `active`, `confirmed_at`, `fs_uniquifier`, `user_id`...) is never read."""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_security.change_email import ChangeEmailForm
from flask_security.forms import ForgotPasswordForm, RegisterFormV2
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp, StopValidation

from shop.accounts.deferred import after_response
from shop.accounts.models import is_home_country
from shop.accounts.services import check_password, queue_reset_instructions
from shop.core.errors import ValidationFailed

PHONE_RE = r"^\+?[0-9][0-9 ()\-]{4,24}$"
PHONE_MESSAGE = _l(
    "Enter a phone number: digits, spaces, brackets and dashes, e.g. +7 900 123-45-67."
)
LANGUAGE_CHOICES = [("ru", "Русский"), ("en", "English")]


def time_zone_field():
    """The time zone select (issue 19); its options are set per request (`zone_choices`:
    labels with today's offsets, in the reader's language). The service checks the value, so
    any zone is refused with the same message. No zone saved (None) is the option "" (the
    shop's); WTForms would leave None and select no option, and the browser the first one."""
    return SelectField(
        _l("Time zone for dates and times"),
        choices=[],
        validate_choice=False,
        default="",
        filters=[lambda value: value or ""],
    )


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
    timezone = time_zone_field()
    submit = SubmitField(_l("Save"))


def squeeze(value):
    """One line: control characters dropped, runs of spaces and line breaks as one space."""
    if not isinstance(value, str):
        return value
    kept = (c for c in value if (c >= " " and c != "\x7f") or c in "\t\r\n")
    return " ".join("".join(kept).split())


def _postcode(value):
    """"101 000" as typed from an envelope is 101000."""
    value = squeeze(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9 ]+", value):
        return value.replace(" ", "")
    return value


def _without(prefix):
    """A filter dropping the word a shopper may type before a number ("д. 5", "кв. 12"): the
    address line adds it, in the reader's language."""
    pattern = re.compile(rf"^(?:{prefix})(?:\.\s*|\s+)(?=\w)", re.IGNORECASE)

    def clean(value):
        value = squeeze(value)
        return pattern.sub("", value) if isinstance(value, str) else value

    return clean


HOUSE_WORDS = r"д|дом|house|bldg|building|no"
FLAT_WORDS = r"кв|квартира|flat|apt|apartment"
RU_POSTCODE = re.compile(r"[0-9]{6}")
POSTCODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z \-]*")
# The parts' lengths: those of the address table's columns.
PART_LENGTHS = {"postcode": 16, "region": 120, "city": 120, "street": 255, "house": 32, "flat": 16}


class AddressParts:
    """The parts of a postal address, asked for one by one (postcode, region, city, street,
    house, flat) and judged one by one, each with its own message beside its field.

    A mixin for a FlaskForm: the checkout needs the parts only for a delivery to an address
    and a new address (`address_parts_needed`), and the address book knows the country
    (`home_country`: Russia's postcodes have six digits, and its addresses a region).
    The fields carry no validators of their own (a DataRequired would refuse a pickup order):
    the inline validators below ask `address_parts_needed` first.
    """

    postcode = StringField(_l("Postcode"), filters=[_postcode])
    region = StringField(_l("Region"), filters=[squeeze])
    city = StringField(_l("City"), filters=[squeeze])
    street = StringField(_l("Street"), filters=[squeeze])
    house = StringField(_l("House"), filters=[_without(HOUSE_WORDS)])
    flat = StringField(_l("Flat or office"), filters=[_without(FLAT_WORDS)])

    def address_parts_needed(self) -> bool:
        return True

    def home_country(self) -> bool:
        return True

    def _judge(self, field, missing=None):
        """Stops quietly when the parts are not needed; else refuses an empty part (when
        `missing` says how to ask for it) and one longer than its column."""
        if not self.address_parts_needed():
            raise StopValidation()
        if not field.data:
            if missing is None:
                raise StopValidation()
            raise StopValidation(str(missing))
        limit = PART_LENGTHS[field.name.rsplit("-", 1)[-1]]
        if len(field.data) > limit:
            raise StopValidation(_("Please use at most %(max)d characters.", max=limit))

    def validate_postcode(self, field):
        home = self.home_country()
        self._judge(field, _l("Enter the postcode.") if home else None)
        if home and not RU_POSTCODE.fullmatch(field.data):
            raise StopValidation(_("A Russian postcode has six digits, for example 101000."))
        if not home and not POSTCODE.fullmatch(field.data):
            raise StopValidation(_("Enter a valid postcode."))

    def validate_region(self, field):
        self._judge(field, _l("Enter the region.") if self.home_country() else None)

    def validate_city(self, field):
        self._judge(field, _l("Enter the city or town."))

    def validate_street(self, field):
        self._judge(field, _l("Enter the street."))

    def validate_house(self, field):
        self._judge(field, _l("Enter the house number."))
        if not any(c.isdigit() for c in field.data):
            raise StopValidation(
                _("A house number has digits, for example 5, 5к2 or 12 стр. 1.")
            )

    def validate_flat(self, field):
        self._judge(field)

    def address_parts(self) -> dict:
        """The parts as typed (after cleaning), empty ones as None."""
        return {name: getattr(self, name).data or None for name in PART_LENGTHS}


class AddressForm(AddressParts, FlaskForm):
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
        filters=[squeeze],
        default="Россия",
    )
    is_default = BooleanField(_l("Use as my default address"))
    submit = SubmitField(_l("Save address"))

    def home_country(self) -> bool:
        return is_home_country(self.country.data)

    def data_for_service(self) -> dict:
        return {
            "recipient": self.recipient.data,
            "phone": self.phone.data or None,
            "country": self.country.data,
            **self.address_parts(),
            "is_default": bool(self.is_default.data),
        }


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
