"""The checkout details form: contact, address, delivery and payment in one step."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

PHONE = r"^\+?[0-9][0-9 ()\-]{5,22}$"


class DetailsForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=120)])
    email = StringField(
        _l("Email"),
        validators=[InputRequired(), Length(max=255), Email(message=_l("Enter a valid email."))],
    )
    phone = StringField(
        _l("Phone"),
        validators=[
            InputRequired(),
            Regexp(PHONE, message=_l("Enter a phone number, for example +7 900 123-45-67.")),
        ],
    )
    delivery_method = RadioField(
        _l("Delivery"), coerce=int, validate_choice=True,
        validators=[InputRequired(message=_l("Choose a delivery method from the list."))],
    )
    saved_address = RadioField(_l("Saved address"), coerce=str, validate_choice=True,
                               validators=[Optional()])
    address = TextAreaField(_l("Delivery address"), validators=[Optional(), Length(max=500)])
    payment_method = RadioField(
        _l("Payment"), validate_choice=True,
        validators=[InputRequired(message=_l("Choose a payment method from the list."))],
    )
    note = TextAreaField(_l("Comment for the shop"), validators=[Optional(), Length(max=1000)])
