"""The time zones a person may choose for their dates (issue 19): Russia's first, by city.

The choice is stored as the IANA name (`User.timezone`); empty is the shop's own zone
(BABEL_DEFAULT_TIMEZONE), which follows the shop if it ever moves. Labels carry the zone's
current UTC offset, so "(UTC+07:00) Novosibirsk" reads right in any language.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytz
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from shop.core.i18n import known_timezones, shop_timezone

# West to east; a city per zone that Russians name their time by ("по Москве", "по Омску").
RUSSIAN_ZONES = (
    ("Europe/Kaliningrad", _l("Kaliningrad")),
    ("Europe/Moscow", _l("Moscow")),
    ("Europe/Samara", _l("Samara")),
    ("Asia/Yekaterinburg", _l("Yekaterinburg")),
    ("Asia/Omsk", _l("Omsk")),
    ("Asia/Novosibirsk", _l("Novosibirsk")),
    ("Asia/Krasnoyarsk", _l("Krasnoyarsk")),
    ("Asia/Irkutsk", _l("Irkutsk")),
    ("Asia/Yakutsk", _l("Yakutsk")),
    ("Asia/Vladivostok", _l("Vladivostok")),
    ("Asia/Magadan", _l("Magadan")),
    ("Asia/Kamchatka", _l("Kamchatka")),
)
RUSSIAN_NAMES = frozenset(name for name, _label in RUSSIAN_ZONES)
# The tz database's regions; pytz's "common" list also keeps old aliases (US/Pacific, Canada/...).
REGIONS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/",
           "Indian/", "Pacific/")


def utc_offset(name: str, now: datetime | None = None) -> str:
    """"UTC+03:00" for Europe/Moscow now."""
    moment = (now or datetime.now(ZoneInfo("UTC"))).astimezone(ZoneInfo(name))
    minutes = int(moment.utcoffset().total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def zone_label(name: str, city=None) -> str:
    """"(UTC+07:00) Novosibirsk": a Russian zone by its city in the reader's language, any
    other by its IANA name."""
    city = city or dict(RUSSIAN_ZONES).get(name) or name.replace("_", " ")
    return _("(%(offset)s) %(city)s", offset=utc_offset(name), city=city)


def zone_choices(*, others: bool, current: str | None = None) -> list[SelectChoice]:
    """A select's options: the Russian zones, the shop's own (the empty value), then with
    `others` every other zone by name, in a group of its own (the back office; the storefront
    keeps its page small). A `current` zone not among them (chosen in the back office) stays
    an option, so saving the form does not lose it."""
    russia = _("Russia") if others else None
    choices = [
        SelectChoice(name, zone_label(name, city), optgroup=russia) for name, city in RUSSIAN_ZONES
    ]
    choices.append(
        SelectChoice("", _("The shop's time zone (default): %(zone)s",
                           zone=zone_label(shop_timezone())))
    )
    rest = (
        {name for name in pytz.common_timezones if name.startswith(REGIONS) or name == "UTC"}
        & known_timezones() if others else set()
    )
    if current and current in known_timezones():
        rest.add(current)
    group = _("Other time zones") if others else None
    choices += [
        SelectChoice(name, zone_label(name), optgroup=group)
        for name in sorted(rest - RUSSIAN_NAMES)
    ]
    return choices
