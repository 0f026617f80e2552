"""Dates read the same way everywhere (issue 14.8: English pages said "12/1/26, 4:13 PM", and
the back office showed UTC in places): the month by name, a 24-hour clock, the shop's time
zone."""

from datetime import datetime

import pytest
from flask_babel import force_locale

from shop.core.templating import format_when


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "1 Dec 2026, 16:13"), ("ru", "1 дек. 2026, 16:13")]
)
def test_a_moment_is_written_unambiguously_in_moscow_time(app, lang, expected):
    with app.test_request_context(), force_locale(lang):
        assert format_when(datetime(2026, 12, 1, 13, 13)) == expected  # 13:13 UTC
        rendered = app.jinja_env.from_string("{{ when|datetime }}").render(
            when=datetime(2026, 12, 1, 13, 13)
        )
        assert rendered == expected
        assert format_when(None) == ""


def test_no_template_asks_for_the_ambiguous_short_format():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "shop" / "templates"
    offenders = [
        str(path) for path in templates.rglob("*.html")
        if "datetime('short')" in path.read_text() or 'datetime("short")' in path.read_text()
    ]
    assert offenders == []
