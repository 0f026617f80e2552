"""My settings: the language and the time zone a staff member reads the back office in (issue 19).

Every staff role opens it, from the side navigation or the account link in the top bar, and
changes only their own account: the page reads and writes `current_user`, never an id from the
address. Dates everywhere in the back office (lists, details, date filters, the dashboard's
days) follow the zone chosen here through Flask-Babel's selector (shop.core.i18n); printed
documents and emails to customers keep the shop's.
"""

from flask import flash, redirect, url_for
from flask_admin import expose
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField

from admin.base import ALL_STAFF, StaffView, current_actor
from shop.accounts import services
from shop.accounts.forms import LANGUAGE_CHOICES, time_zone_field
from shop.accounts.timezones import zone_choices
from shop.core.errors import DomainError
from shop.core.models import utcnow


class MySettingsForm(FlaskForm):
    # Checked by the service (shop.accounts.services.update_preferences), with its message.
    locale = SelectField(_l("Interface language"), choices=LANGUAGE_CHOICES, validate_choice=False)
    timezone = time_zone_field()


def settings_form(user, **kwargs) -> MySettingsForm:
    form = MySettingsForm(obj=user, **kwargs)
    form.timezone.choices = zone_choices(others=True, current=user.timezone)
    return form


class MySettingsView(StaffView):
    allowed_roles = ALL_STAFF

    @expose("/", methods=["GET", "POST"])
    def index(self):
        user = current_actor()
        form = settings_form(user)
        if form.validate_on_submit():
            try:
                services.update_preferences(
                    user, locale=form.locale.data, timezone=form.timezone.data
                )
            except DomainError as exc:
                flash(str(exc.message), "error")
                # the saved values again, not the refused one (nothing was changed)
                form = settings_form(user, formdata=None)
            else:
                # in the language just chosen: the page it leads to speaks it
                with force_locale(user.locale):
                    flash(_("Your settings have been saved."), "success")
                return redirect(url_for(".index"))
        elif form.errors:  # only the CSRF token can fail here
            flash(_("The form has expired, please try again."), "error")
        return self.render("admin/my_settings.html", form=form, now=utcnow())
