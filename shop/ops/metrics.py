"""Prometheus metrics at `/metrics`, correct under several uWSGI workers.

Under uWSGI every worker is its own process, so counters live in files under
`PROMETHEUS_MULTIPROC_DIR` (uwsgi.ini sets it and empties it on start) and a scrape adds them
up with `MultiProcessCollector`. Without that variable (tests, `flask run`) the process-local
registry is used.

Business counters (orders placed, payments by outcome, stock-outs) are counted from what the
ORM flushes and are incremented only after the transaction commits, so a rolled-back checkout
counts nothing and the services need no metrics code. Gauges that describe the database (outbox
backlog, variants out of stock) are read at scrape time, so every node reports the same truth.

`/metrics` is not public: a request needs `Authorization: Bearer <METRICS_TOKEN>` or must
come from one of METRICS_ALLOWED_NETWORKS.
"""

import hmac
import ipaddress
import logging
import os
import time

from flask import Blueprint, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from shop.catalog.models import ProductVariant
from shop.core.models import utcnow
from shop.core.session_events import listen_on_app_session
from shop.extensions import csrf, db, limiter
from shop.inventory.models import StockMovement
from shop.notifications.models import OutboxMessage, OutboxStatus
from shop.orders.models import Order
from shop.payments.models import Payment

bp = Blueprint("metrics", __name__)
log = logging.getLogger(__name__)

REQUESTS = Counter(
    "shop_http_requests_total",
    "HTTP requests handled, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "shop_http_request_duration_seconds",
    "Time to handle a request, by endpoint.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
ORDERS_PLACED = Counter("shop_orders_placed_total", "Orders placed (committed).")
PAYMENTS = Counter(
    "shop_payments_total",
    "Payments that reached an outcome, by provider and outcome.",
    ["provider", "outcome"],
)
STOCKOUTS = Counter("shop_stockouts_total", "Times a variant's stock fell to zero.")

FINAL_PAYMENT_STATES = {"succeeded", "failed", "refunded", "cancelled"}
_PENDING_KEY = "shop_ops_metrics"


def init_app(app):
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    app.after_request(_count_request)
    _listen_for_business_events()


# Requests -----------------------------------------------------------------------------------


def _start_timer():
    g.metrics_started = time.perf_counter()


def _count_request(response):
    # Unknown URLs share one label, so a scanner cannot blow up the number of series.
    endpoint = request.endpoint or "unmatched"
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    started = getattr(g, "metrics_started", None)
    if started is not None:
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    return response


# Business events, counted after commit --------------------------------------------------------

def _listen_for_business_events():
    listen_on_app_session(
        ("after_flush", _collect_after_flush),
        ("after_commit", _count_after_commit),
        ("after_rollback", _forget_after_rollback),
    )


def _collect_after_flush(session, _context):
    pending = session.info.setdefault(_PENDING_KEY, [])
    for obj in session.new:
        if isinstance(obj, Order):
            pending.append(("order",))
        elif isinstance(obj, StockMovement) and obj.stock_after == 0:
            pending.append(("stockout",))
        elif isinstance(obj, Payment) and obj.status in FINAL_PAYMENT_STATES:
            pending.append(("payment", obj.provider, obj.status))
    for obj in session.dirty:
        if isinstance(obj, Payment):
            history = db.inspect(obj).attrs.status.history
            if history.added and obj.status in FINAL_PAYMENT_STATES:
                pending.append(("payment", obj.provider, obj.status))


def _count_after_commit(session):
    for item in session.info.pop(_PENDING_KEY, []):
        if item[0] == "order":
            ORDERS_PLACED.inc()
        elif item[0] == "stockout":
            STOCKOUTS.inc()
        elif item[0] == "payment":
            PAYMENTS.labels(item[1], item[2]).inc()


def _forget_after_rollback(session):
    session.info.pop(_PENDING_KEY, None)


# The scrape -----------------------------------------------------------------------------------


class DatabaseCollector:
    """Gauges read from the database at scrape time: the same answer on every node."""

    def collect(self):
        up = GaugeMetricFamily("shop_database_up", "1 when the database answered the scrape.")
        try:
            backlog = GaugeMetricFamily(
                "shop_outbox_backlog", "Emails in the outbox not yet sent, by status.",
                labels=["status"],
            )
            counts = dict(
                db.session.execute(
                    select(OutboxMessage.status, func.count())
                    .where(OutboxMessage.status.in_(
                        [OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED]
                    ))
                    .group_by(OutboxMessage.status)
                ).all()
            )
            for status in (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED):
                backlog.add_metric([status], counts.get(status, 0))
            oldest = db.session.scalar(
                select(func.min(OutboxMessage.created_at)).where(
                    OutboxMessage.status == OutboxStatus.PENDING
                )
            )
            age = GaugeMetricFamily(
                "shop_outbox_oldest_pending_age_seconds",
                "Age of the oldest email waiting in the outbox (0 when none).",
            )

            age.add_metric([], max((utcnow() - oldest).total_seconds(), 0) if oldest else 0)
            out = GaugeMetricFamily(
                "shop_variants_out_of_stock", "Active variants with no stock left."
            )
            out.add_metric([], db.session.scalar(
                select(func.count()).select_from(ProductVariant).where(
                    ProductVariant.active.is_(True), ProductVariant.stock <= 0
                )
            ) or 0)
            up.add_metric([], 1)
            yield from (backlog, age, out, up)
        except Exception as exc:  # noqa: BLE001 - a scrape must still answer when the DB is down
            log.warning("metrics: database gauges unavailable: %s", exc)
            up.add_metric([], 0)
            yield up
        finally:
            db.session.rollback()


def _allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(
        sent[len("Bearer "):].encode(), str(token).encode()
    ):
        return True
    networks = current_app.config.get("METRICS_ALLOWED_NETWORKS") or []
    if isinstance(networks, str):
        networks = [part.strip() for part in networks.split(",") if part.strip()]
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    for network in networks:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            log.error("metrics: METRICS_ALLOWED_NETWORKS has a bad entry: %r", network)
    return False


@bp.get("/metrics")
@limiter.exempt
@csrf.exempt
def metrics():
    if not _allowed():
        abort(403)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    database = CollectorRegistry()
    database.register(DatabaseCollector())
    body = generate_latest(registry) + generate_latest(database)
    return Response(body, mimetype=CONTENT_TYPE_LATEST)
