"""The back-office home: paid sales for a chosen period against the period before, a chart with
axes and values, orders by status, the funnel, top products and categories, low stock,
abandoned carts, and for managers the money to refund (a payment that arrived after its order
was cancelled or expired, see shop.payments.services.record_success). Every report is a CSV
download too (/admin/reports/<name>.csv?period=..., written to the audit log).

The figures come from shop.reports (queries and exports); this module only reads the period
from the address, renders, and draws the chart: plain SVG made here, so nothing is fetched from
a CDN and it prints. Days are the shop's days (BABEL_DEFAULT_TIMEZONE).

Warehouse staff see the orders by status and low stock (and may download those two); money,
carts and the funnel are for admins and managers.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_currency_symbol
from flask import Response, abort, current_app, request, url_for
from flask_admin import AdminIndexView, expose
from flask_babel import format_date, format_decimal, to_user_timezone
from flask_babel import gettext as _
from markupsafe import Markup

from admin.base import (
    ALL_STAFF,
    MANAGERS,
    RoleRequired,
    bad_request,
    client_ip,
    current_actor,
    has_any_role,
)
from admin.timefilters import LocalDateTimeBetweenFilter
from shop.core.models import utcnow
from shop.core.money import format_money
from shop.inventory.queries import low_stock_threshold, low_stock_variants
from shop.orders.models import OrderStatus
from shop.payments.services import payments_to_refund
from shop.reports import exports, periods, sales

# Reports every member of staff may download; the others are for MANAGERS.
STAFF_REPORTS = {"status", "low_stock"}
# The chart's text: dark grey on white (11.5:1), the page's own font.
TEXT = Markup('font-family="system-ui, sans-serif" fill="#343a40"')
# A chart of more days than this shows weeks.
MAX_BARS = 31


def period_from_request():
    """(the period asked for, an error message or None): a bad custom period is the default
    period with the reason, never a 500."""
    try:
        return periods.parse(request.args), None
    except periods.BadPeriod as exc:
        reasons = {
            "dates": _("Enter both dates of the period as YYYY-MM-DD."),
            "order": _("The period ends before it starts."),
            "length": _("A period can be at most %(num)d days long.", num=periods.MAX_DAYS),
        }
        return periods.preset(periods.DEFAULT_PRESET), reasons[str(exc)]


def period_args(period: periods.Period) -> dict:
    """The address arguments that ask for `period` again (links, CSV downloads)."""
    if period.preset and period.preset != "custom":
        return {"period": period.preset}
    return {"period": "custom", "from": period.first.isoformat(), "to": period.last.isoformat()}


def period_name(period: periods.Period) -> str:
    if period.first == period.last:
        return format_date(period.first, "d MMMM y")
    return _(
        "%(first)s – %(last)s",
        first=format_date(period.first, "d MMM y"),
        last=format_date(period.last, "d MMM y"),
    )


def change_text(percent: float | None) -> str:
    """ "+12 %" / "−5 %" in the reader's format, "—" when there is nothing to compare with."""
    if percent is None:
        return "—"
    number = format_decimal(abs(round(percent, 1)), format="#,##0.#")
    if round(percent, 1) == 0:
        return _("no change")
    return ("+" if percent > 0 else "−") + number + " %"


def buckets(series):
    """The chart's bars: (label, long label, amount) per day, or per week for long periods."""
    if len(series) <= MAX_BARS:
        return [(format_date(d, "d.MM"), format_date(d, "d MMMM y"), v) for d, v in series]
    bars = []
    for i in range(0, len(series), 7):
        week = series[i : i + 7]
        first, last = week[0][0], week[-1][0]
        long = _(
            "%(first)s – %(last)s",
            first=format_date(first, "d MMM"),
            last=format_date(last, "d MMM y"),
        )
        bars.append((format_date(first, "d.MM"), long, sum((v for _d, v in week), Decimal(0))))
    return bars


def nice_top(top: Decimal) -> Decimal:
    """The axis' top: the smallest 1, 2, 2.5 or 5 x 10^k at or above `top` (100 at least)."""
    top = max(top, Decimal(100))
    power = Decimal(10) ** (len(str(int(top))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if power * step >= top:
            return power * step
    return power * 10


def whole(amount: Decimal) -> str:
    """An amount in whole units, grouped by the reader's locale (the axis and bar labels)."""
    return format_decimal(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP), format="#,##0")


def sales_chart(series, title: str, width: int = 760, height: int = 300) -> Markup:
    """An SVG bar chart of (date, amount): a labelled y axis with grid lines, dates along the
    x axis, and each bar's value written on it. role="img" with a title and a description for
    screen readers; the page shows the same numbers as a table."""
    bars = buckets(series)
    currency = current_app.config.get("CURRENCY", "RUB")
    symbol = get_currency_symbol(currency, locale="ru")
    left, right, top_pad, bottom = 78, 10, 34, 46
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = nice_top(max((v for _a, _b, v in bars), default=Decimal(0)))
    n = max(len(bars), 1)
    slot = plot_w / n
    bar_w = max(slot * 0.7, 1)
    rotate = n > 12  # values written upwards when the bars are narrow
    total = sum((v for _a, _b, v in bars), Decimal(0))
    desc = _(
        "%(num)d bars from %(first)s to %(last)s; total %(total)s, highest %(max)s.",
        num=len(bars),
        first=bars[0][1] if bars else "",
        last=bars[-1][1] if bars else "",
        total=format_money(total),
        max=format_money(max((v for _a, _b, v in bars), default=Decimal(0))),
    )
    parts = [
        Markup(
            '<svg class="sales-chart" viewBox="0 0 {w} {h}" width="100%" role="img"'
            ' style="min-width: 560px"'
            ' aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
            '<title id="chart-title">{title}</title><desc id="chart-desc">{desc}</desc>'
        ).format(w=width, h=height, title=title, desc=desc),
        Markup('<text x="{x}" y="14" font-size="12" {t}>{label}</text>').format(
            x=4, t=TEXT, label=_("Paid revenue, %(symbol)s", symbol=symbol)
        ),
    ]
    for i in range(5):  # grid lines and the y axis' labels: 0, 1/4 ... top
        value = top * i / 4
        y = top_pad + plot_h - plot_h * i / 4
        parts.append(
            Markup(
                '<line x1="{l}" y1="{y:.1f}" x2="{r}" y2="{y:.1f}" stroke="{c}" stroke-width="1">'
                '</line><text x="{tx}" y="{ty:.1f}" font-size="11" text-anchor="end" {t}>'
                "{v}</text>"
            ).format(
                l=left,
                r=width - right,
                y=y,
                c="#6c757d" if i == 0 else "#dee2e6",
                tx=left - 6,
                ty=y + 4,
                t=TEXT,
                v=whole(value),
            )
        )
    parts.append(
        Markup('<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="#6c757d"></line>').format(
            x=left, y1=top_pad, y2=top_pad + plot_h
        )
    )
    every = max(1, round(n / 10))  # about ten date labels along the x axis
    for i, (label, long, amount) in enumerate(bars):
        h = float(amount / top) * plot_h if top > 0 else 0
        x = left + i * slot + (slot - bar_w) / 2
        y = top_pad + plot_h - h
        cx = x + bar_w / 2
        parts.append(
            Markup(
                '<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#0b5ed7">'
                "<title>{long}: {value}</title></rect>"
            ).format(
                x=x,
                y=y,
                w=bar_w,
                h=max(h, 0.5 if amount > 0 else 0),
                long=long,
                value=format_money(amount),
            )
        )
        if amount > 0:
            if rotate:
                parts.append(
                    Markup(
                        '<text x="{x:.1f}" y="{y:.1f}" font-size="10" text-anchor="start"'
                        ' transform="rotate(-90 {x:.1f} {y:.1f})" {t}>{v}</text>'
                    ).format(x=cx + 3.5, y=y - 3, t=TEXT, v=whole(amount))
                )
            else:
                parts.append(
                    Markup(
                        '<text x="{x:.1f}" y="{y:.1f}" font-size="11" text-anchor="middle" {t}>'
                        "{v}</text>"
                    ).format(x=cx, y=y - 4, t=TEXT, v=whole(amount))
                )
        if i % every == 0 or i == n - 1:
            parts.append(
                Markup(
                    '<text x="{x:.1f}" y="{y}" font-size="11" text-anchor="middle" {t}>{d}</text>'
                ).format(x=cx, y=top_pad + plot_h + 16, t=TEXT, d=label)
            )
    parts.append(
        Markup(
            '<text x="{x}" y="{y}" font-size="12" text-anchor="middle" {t}>{label}</text>'
        ).format(
            x=left + plot_w / 2,
            y=height - 6,
            t=TEXT,
            label=_("Week starting") if len(series) > MAX_BARS else _("Day"),
        )
    )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def status_links(orders_view, period: periods.Period) -> dict:
    """{status: the orders list filtered by that status and placed in the period}.

    The list's "between" filter reads the times it is given in the reader's time zone
    (admin/timefilters.py), so the period's bounds go into the address in that zone; without
    that filter (or the status one) the link lists less precisely.
    """
    status_arg = orders_view.filter_arg("status")
    dates_arg = orders_view.filter_arg("created_at", LocalDateTimeBetweenFilter)
    links = {}
    for status in OrderStatus:
        args = {status_arg: status.value} if status_arg else {}
        if dates_arg:
            first = to_user_timezone(period.start)
            last = to_user_timezone(period.end - timedelta(seconds=1))
            args[dates_arg.replace("flt0_", "flt1_", 1)] = (
                f"{first:%Y-%m-%d %H:%M:%S} to {last:%Y-%m-%d %H:%M:%S}"
            )
        links[status.value] = url_for("admin_orders.index_view", **args)
    return links


def dashboard_context() -> dict:
    period, period_error = period_from_request()
    threshold = low_stock_threshold()
    views = current_app.extensions["shop_admin"]._views
    orders_view = next(v for v in views if v.endpoint == "admin_orders")
    args = period_args(period)
    context = {
        "period": period,
        "period_args": args,
        "period_name": period_name(period),
        "period_error": period_error,
        "presets": [
            ("today", _("Today")),
            ("7d", _("7 days")),
            ("30d", _("30 days")),
            ("90d", _("90 days")),
        ],
        "status_links": status_links(orders_view, period),
        "by_status": sales.by_status(period),
        "low_stock": low_stock_variants(threshold, limit=10),
        "threshold": threshold,
        "show_sales": has_any_role(*MANAGERS),
        "titles": exports.REPORT_TITLES,
    }
    if context["show_sales"]:
        now = utcnow()
        figures = sales.compare(period)
        context["refund_count"], context["to_refund"] = payments_to_refund(limit=10)
        context["figures"] = figures
        context["previous_name"] = period_name(period.previous())
        context["kpis"] = [
            (
                label,
                shown(getattr(figures.current, name)),
                shown(getattr(figures.previous, name)),
                change_text(figures.change(name)),
            )
            for name, label, shown in (
                ("revenue", _("Paid revenue"), format_money),
                ("paid", _("Paid orders"), str),
                ("average", _("Average order value"), format_money),
                ("placed", _("Orders placed"), str),
            )
        ]
        series = sales.daily_revenue(period)
        chart_title = _("Paid revenue, %(period)s", period=period_name(period))
        context["chart"] = sales_chart(series, chart_title)
        context["chart_title"] = chart_title
        context["chart_rows"] = buckets(series)
        context["top"] = sales.top_products(period)
        context["top_categories"] = sales.top_categories(period)
        context["funnel"] = sales.funnel(period)
        hours = exports.abandoned_hours()
        count, value, carts = sales.abandoned_carts(hours, now, limit=10)
        context["abandoned"] = {"count": count, "value": value, "carts": carts, "hours": hours}
    return context


class StaffIndexView(RoleRequired, AdminIndexView):
    """The back office's home: the dashboard (money only for those who may see it)."""

    allowed_roles = ALL_STAFF

    @expose("/")
    def index(self):
        return self.render("admin/dashboard.html", **dashboard_context())

    @expose("/reports/<report>.csv")
    def export(self, report):
        """One report as CSV for the period in the address (audited by the export service)."""
        if report not in exports.REPORT_TITLES:
            bad_request(_("There is no such report."))
        if report not in STAFF_REPORTS and not has_any_role(*MANAGERS):
            abort(403)
        period, error = period_from_request()
        if error:
            bad_request(error)
        body = exports.export_report(
            report, period, utcnow(), actor=current_actor(), ip=client_ip()
        )
        filename = f"{report}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
        return Response(
            body,
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
