"""Flask-Admin's form and list pieces rewritten where their markup is not valid HTML, and the
type formatters that show values the way a person reads them.

Markup (the W3C checker, issue 14.15): Flask-Admin puts each inline sub-form (a product's
variants) in a `div` with a `legend`, which belongs only in a `fieldset`; it gives the hidden
inputs of every list row's delete form, and every row's inline-edit link, the same id. Values
(issue 14.11): Flask-Admin shows booleans as True/False in details and as an icon titled
"active: true" in lists, datetimes as Python prints them, and prices as "390.00".
"""

from datetime import date, datetime
from decimal import Decimal

from flask_admin.contrib.sqla.fields import InlineModelFormList
from flask_admin.contrib.sqla.form import InlineModelConverter
from flask_admin.form import RenderTemplateWidget
from flask_admin.model import typefmt
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from shop.core.money import format_money
from shop.core.templating import format_when


class ShopInlineFormList(InlineModelFormList):
    """Inline sub-forms, each a `fieldset` with its `legend` (admin/shop/inline_field_list.html)."""

    widget = RenderTemplateWidget("admin/shop/inline_field_list.html")


class ShopInlineConverter(InlineModelConverter):
    inline_field_list_type = ShopInlineFormList


def without_ids(form, *names):
    """Render these fields of `form` without an id (a form repeated on every row of a list)."""
    for name in names:
        field = getattr(form, name, None)
        if field is not None:
            field.render_kw = {**(field.render_kw or {}), "id": False}
    return form


def ids_per_row(form, row_key):
    """Make the ids of a row's inline-edit fields unique on the page ("active-12")."""
    for field in form:
        field.render_kw = {**(field.render_kw or {}), "id": f"{field.id}-{row_key}"}
    return form


# --- Type formatters -----------------------------------------------------------------------


def yes_no_icon(view, value, name):
    """In lists: a check mark for yes, a dash for no, each with its word for screen readers."""
    word = _("Yes") if value else _("No")
    icon = "fa-check text-success" if value else "fa-minus text-muted"
    # .yes-no is position: relative, so the absolutely placed sr-only word stays inside a
    # table that scrolls sideways on a phone instead of widening the page.
    return Markup(
        '<span class="yes-no"><span class="fa {icon}" title="{word}" aria-hidden="true"></span>'
        '<span class="sr-only">{word}</span></span>'
    ).format(icon=icon, word=word)


def yes_no_word(view, value, name):
    """On a details page: the word."""
    return _("Yes") if value else _("No")


def nowrap(text) -> Markup:
    """A date or an amount kept on one line (a narrow column broke "1 дек. 2026, 18:00")."""
    return Markup('<span class="text-nowrap">{}</span>').format(text)


def when(view, value, name):
    return nowrap(format_when(value))


def day(view, value, name):
    return nowrap(format_date(value))


def money(view, value, name):
    # Every Decimal column in the shop is an amount of money in the shop's currency.
    return nowrap(format_money(value))


def empty(view, value, name):
    return ""


# Checked in this order (Flask-Admin takes the first type the value is an instance of):
# bool before anything numeric, datetime before date.
LIST_FORMATTERS = {
    **typefmt.BASE_FORMATTERS,
    type(None): empty,
    bool: yes_no_icon,
    datetime: when,
    date: day,
    Decimal: money,
}
DETAIL_FORMATTERS = {**LIST_FORMATTERS, bool: yes_no_word}
