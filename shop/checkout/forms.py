"""The checkout details form: contact, address, delivery and payment in one step."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
)

from shop.accounts.forms import AddressParts
from shop.accounts.models import format_address

PHONE = r"^\+?[0-9][0-9 ()\-]{5,22}$"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def one_line(value):
    """Trimmed, control characters dropped (PostgreSQL refuses NUL), line breaks as spaces."""
    if not isinstance(value, str):
        return value
    return " ".join(_CONTROL.sub("", value).split())


def multi_line(value):
    """Trimmed, control characters dropped, line breaks kept (a comment may have several)."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value.replace("\r\n", "\n")).strip()


class DetailsForm(AddressParts, FlaskForm):
    """The view sets `address_methods`: the ids of the offered delivery methods that need an
    address (a courier, the post). The address's parts (postcode, region, city, street, house,
    flat: AddressParts) are judged only for such a method, and only when the shopper chose a
    new address rather than one of their saved ones; for pickup they are neither required nor
    judged, whatever the fields hold (without JavaScript they stay on the page, filled or not).
    """

    address_methods: frozenset = frozenset()

    name = StringField(_l("Your name"), filters=[one_line],
                       validators=[DataRequired(), Length(max=120)])
    email = StringField(
        _l("Email"), filters=[one_line],
        validators=[DataRequired(), Length(max=255), Email(message=_l("Enter a valid email."))],
    )
    phone = StringField(
        _l("Phone"), filters=[one_line],
        validators=[
            DataRequired(),
            Regexp(PHONE, message=_l("Enter a phone number, for example +7 900 123-45-67.")),
        ],
    )
    delivery_method = RadioField(
        _l("Delivery"), coerce=int, validate_choice=True,
        validators=[InputRequired(message=_l("Choose a delivery method from the list."))],
    )
    # Radio cards of the signed-in shopper's addresses and "new"; validate_choice keeps to
    # their own (the choices are theirs only).
    saved_address = RadioField(_l("Saved address"), coerce=str, validate_choice=True,
                               validators=[Optional()])
    save_address = BooleanField(_l("Save to my addresses"))
    payment_method = RadioField(
        _l("Payment"), validate_choice=True,
        validators=[InputRequired(message=_l("Choose a payment method from the list."))],
    )
    note = TextAreaField(_l("Comment for the shop"), filters=[multi_line],
                         validators=[Optional(), Length(max=1000)])
    # The two consents are separate, unticked boxes (152-FZ: the consent to personal data
    # processing is given apart from any other document); the checkout template links both.
    accept_offer = BooleanField(
        _l("I accept the terms of the public offer"),
        validators=[DataRequired(_l("Please accept the terms of the public offer."))],
    )
    accept_privacy = BooleanField(
        _l("I consent to the processing of my personal data under the personal data policy"),
        validators=[
            DataRequired(_l("Please consent to the processing of your personal data."))
        ],
    )

    def needs_address(self) -> bool:
        return self.delivery_method.data in self.address_methods

    def new_address(self) -> bool:
        return self.saved_address.data in (None, "", "new")

    def address_parts_needed(self) -> bool:
        return self.needs_address() and self.new_address()

    def address_line(self) -> str:
        """The typed address as the order keeps it (see shop.accounts.models.format_address)."""
        return format_address(**self.address_parts())
