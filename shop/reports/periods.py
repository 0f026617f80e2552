"""Report periods in the reader's days, and the period before them.

Orders store naive UTC; a local day runs from its local midnight to the next one, so a period of
local dates [first, last] is the UTC range [start of first, start of the day after last). Local
is the zone dates are shown in (shop.core.i18n.reader_zone: the staff member's own zone if they
chose one, issue 19, else the shop's BABEL_DEFAULT_TIMEZONE), so "today" on the dashboard is the
reader's today, the same day the order list shows its orders under. The previous period has
the same number of days and ends the day before `first`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shop.core.i18n import reader_zone
from shop.core.models import utcnow

# Choices of the dashboard's period: a code and its length in days (today is one day).
PRESETS = {"today": 1, "7d": 7, "30d": 30, "90d": 90}
DEFAULT_PRESET = "30d"
# A custom period longer than this is refused (its chart and queries would be huge).
MAX_DAYS = 366 * 3


def report_zone() -> ZoneInfo:
    """The zone whose days periods are counted in (see the module's docstring)."""
    return reader_zone()


def local_today(now: datetime | None = None) -> date:
    """Today's date in the report zone (`now` is naive UTC)."""
    now = now or utcnow()
    return now.replace(tzinfo=ZoneInfo("UTC")).astimezone(report_zone()).date()


def day_start_utc(day: date) -> datetime:
    """Naive UTC of the local midnight that starts `day`."""
    start = datetime.combine(day, time(0), tzinfo=report_zone())
    return start.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


@dataclass(frozen=True)
class Period:
    """Local dates `first`..`last` (report_zone), both included; `preset` names a standard
    choice."""

    first: date
    last: date
    preset: str | None = None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        """Inclusive lower bound, naive UTC."""
        return day_start_utc(self.first)

    @property
    def end(self) -> datetime:
        """Exclusive upper bound, naive UTC."""
        return day_start_utc(self.last + timedelta(days=1))

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        last = self.first - timedelta(days=1)
        return Period(last - timedelta(days=self.days - 1), last)

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]


def preset(code: str, now: datetime | None = None) -> Period:
    """The last `PRESETS[code]` days, today included."""
    today = local_today(now)
    return Period(today - timedelta(days=PRESETS[code] - 1), today, code)


class BadPeriod(ValueError):
    """A custom period that cannot be used; the message is for the reader."""


def parse(args, now: datetime | None = None) -> Period:
    """The period asked for by `args` (?period=7d, or ?period=custom&from=…&to=… as ISO dates).

    An unknown or missing choice is the default (30 days). Raises BadPeriod for a custom period
    with a missing or malformed date, its end before its start, or longer than MAX_DAYS.
    """
    code = args.get("period") or DEFAULT_PRESET
    if code in PRESETS:
        return preset(code, now)
    if code != "custom":
        return preset(DEFAULT_PRESET, now)
    try:
        first = date.fromisoformat((args.get("from") or "").strip())
        last = date.fromisoformat((args.get("to") or "").strip())
    except ValueError as exc:
        raise BadPeriod("dates") from exc
    if last < first:
        raise BadPeriod("order")
    if (last - first).days + 1 > MAX_DAYS:
        raise BadPeriod("length")
    return Period(first, last, "custom")


def change_percent(current, previous) -> float | None:
    """The change from `previous` to `current` in percent, or None when there was nothing
    before to compare with (a rise from zero has no percentage)."""
    if not previous:
        return None
    return float((current - previous) / previous * 100)
