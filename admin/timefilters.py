"""Date-and-time filters of back-office lists in the reader's time zone (issue 19.1).

Lists show every moment in the reader's time zone (Flask-Babel's, see admin/widgets.py `when`),
while the database keeps naive UTC. Flask-Admin's datetime filters ("Date greater than",
"between"...) compared what the staff member typed, read off the screen, with the stored UTC
value as is: in Moscow an order placed at 01:30 (22:30 UTC the day before) was missing from
"placed after 00:00". These filters read the typed value in the reader's time zone and turn it
into UTC before comparing; the filter box keeps showing what was typed.
"""

from flask_admin.contrib.sqla import filters
from flask_babel import to_utc


class LocalDateTimeEqualFilter(filters.DateTimeEqualFilter):
    def clean(self, value):
        return to_utc(super().clean(value))


class LocalDateTimeNotEqualFilter(filters.DateTimeNotEqualFilter):
    def clean(self, value):
        return to_utc(super().clean(value))


class LocalDateTimeGreaterFilter(filters.DateTimeGreaterFilter):
    def clean(self, value):
        return to_utc(super().clean(value))


class LocalDateTimeSmallerFilter(filters.DateTimeSmallerFilter):
    def clean(self, value):
        return to_utc(super().clean(value))


class LocalDateTimeBetweenFilter(filters.DateTimeBetweenFilter):
    def clean(self, value):
        return [to_utc(moment) for moment in super().clean(value)]


class LocalDateTimeNotBetweenFilter(filters.DateTimeNotBetweenFilter):
    def clean(self, value):
        return [to_utc(moment) for moment in super().clean(value)]


class LocalTimeFilterConverter(filters.FilterConverter):
    """Flask-Admin's filters for SQLAlchemy columns, datetimes read in the reader's zone."""

    datetime_filters = (
        LocalDateTimeEqualFilter,
        LocalDateTimeNotEqualFilter,
        LocalDateTimeGreaterFilter,
        LocalDateTimeSmallerFilter,
        LocalDateTimeBetweenFilter,
        LocalDateTimeNotBetweenFilter,
        filters.FilterEmpty,
    )
