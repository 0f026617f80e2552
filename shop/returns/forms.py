"""The shopper's return request form: a reason, their words, and a quantity per order line.

The quantities are fields named "qty-<order line id>", read by `quantities()`: the lines of
the order the page shows; any other field of that shape (a forged line id) is refused.
"""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from shop.checkout.forms import multi_line
from shop.core.errors import ValidationFailed
from shop.returns.models import RETURN_REASONS

QUANTITY_FIELD = re.compile(r"^qty-(\d{1,9})$")


class ReturnForm(FlaskForm):
    reason = RadioField(
        _l("Why are you returning the goods?"),
        choices=list(RETURN_REASONS.items()),
        validators=[DataRequired(message=_l("Choose a reason for the return."))],
    )
    comment = TextAreaField(
        _l("Tell us more (optional)"), filters=[multi_line],
        validators=[Optional(), Length(max=2000)],
    )


def quantities(formdata, line_ids) -> dict[int, int]:
    """{order line id: units} from the form's "qty-<id>" fields; an empty field is 0.

    Raises ValidationFailed for a line not in `line_ids` or a value that is not a whole
    number from 0 to 9999.
    """
    wanted = {}
    for name in formdata:
        match = QUANTITY_FIELD.match(name)
        if match is None:
            if name.startswith("qty-"):
                raise ValidationFailed(_l("This item is not in the order."))
            continue
        line_id = int(match.group(1))
        if line_id not in line_ids:
            raise ValidationFailed(_l("This item is not in the order."))
        raw = (formdata.get(name) or "").strip()
        if not raw:
            continue
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 4:
            raise ValidationFailed(_l("Quantities must be whole numbers."))
        wanted[line_id] = int(raw)
    return wanted
