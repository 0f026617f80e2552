"""/metrics: protected, Prometheus text, request and business counters, database gauges."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from shop.inventory.models import StockMovement
from shop.notifications.models import OutboxMessage
from shop.payments.models import Payment
from tests.factories import VariantFactory
from tests.ops.helpers import new_order

TOKEN = "s3cret-metrics-token"


@pytest.fixture()
def scrape(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)

    def get():
        response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        assert response.mimetype == "text/plain"
        samples = {}
        for family in text_string_to_metric_families(response.get_data(as_text=True)):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return samples

    return get


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_refused_without_token_or_allowed_network(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 403


def test_no_token_configured_means_closed(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", None)
    assert client.get("/metrics", headers={"Authorization": "Bearer None"}).status_code == 403


def test_allowed_networks_open_metrics_without_token(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_ALLOWED_NETWORKS", ["10.0.0.0/8"])
    assert client.get("/metrics").status_code == 403  # the test client is 127.0.0.1
    monkeypatch.setitem(app.config, "METRICS_ALLOWED_NETWORKS", ["10.0.0.0/8", "127.0.0.1/32"])
    assert client.get("/metrics").status_code == 200
    monkeypatch.setitem(app.config, "METRICS_ALLOWED_NETWORKS", "not-a-network, 127.0.0.0/8")
    assert client.get("/metrics").status_code == 200


def test_requests_are_counted_by_endpoint_and_status(client, scrape):
    before = scrape()
    client.get("/healthz")
    client.get("/healthz")
    client.get("/no-such-page-at-all")
    after = scrape()
    key = dict(endpoint="ops.healthz", method="GET", status="200")
    assert value(after, "shop_http_requests_total", **key) - value(
        before, "shop_http_requests_total", **key
    ) == 2
    missing = dict(endpoint="unmatched", method="GET", status="404")
    assert value(after, "shop_http_requests_total", **missing) - value(
        before, "shop_http_requests_total", **missing
    ) == 1
    assert value(after, "shop_http_request_duration_seconds_count", endpoint="ops.healthz") >= 2
    assert (("shop_http_request_duration_seconds_bucket",
             (("endpoint", "ops.healthz"), ("le", "+Inf")))) in after


def test_orders_payments_and_stockouts_count_only_after_commit(db, scrape):
    variant = VariantFactory(stock=1)
    before = scrape()

    db.session.add(new_order())
    db.session.flush()
    db.session.rollback()  # a checkout that failed counts nothing
    assert value(scrape(), "shop_orders_placed_total") == value(before, "shop_orders_placed_total")

    order = new_order()
    db.session.add(order)
    db.session.flush()
    payment = Payment(order_id=order.id, provider="test", amount=order.total,
                      idempotency_key="k1")
    db.session.add(payment)
    db.session.add(StockMovement(variant_id=variant.id, delta=-1, stock_after=0, reason="order"))
    db.session.commit()
    payment.status = "succeeded"
    db.session.commit()
    failed = Payment(order_id=order.id, provider="test", amount=order.total,
                     idempotency_key="k2", status="failed")
    db.session.add(failed)
    db.session.commit()

    after = scrape()
    assert value(after, "shop_orders_placed_total") - value(
        before, "shop_orders_placed_total") == 1
    assert value(after, "shop_stockouts_total") - value(before, "shop_stockouts_total") == 1
    for outcome in ("succeeded", "failed"):
        labels = dict(provider="test", outcome=outcome)
        assert value(after, "shop_payments_total", **labels) - value(
            before, "shop_payments_total", **labels) == 1


def test_database_gauges_report_outbox_backlog_and_stock_outs(db, scrape):
    VariantFactory(stock=0)
    VariantFactory(stock=0, active=False)  # inactive variants are no stock-out
    VariantFactory(stock=5)
    for status in ("pending", "pending", "failed", "sent"):
        db.session.add(OutboxMessage(recipient="a@example.com", subject="s", body_text="b",
                                     status=status))
    db.session.commit()
    samples = scrape()
    assert value(samples, "shop_outbox_backlog", status="pending") == 2
    assert value(samples, "shop_outbox_backlog", status="failed") == 1
    assert value(samples, "shop_outbox_oldest_pending_age_seconds") >= 0
    assert value(samples, "shop_variants_out_of_stock") == 1
    assert value(samples, "shop_database_up") == 1


def test_a_real_checkout_counts_one_order_and_one_stock_out(db, scrape):
    from shop.core.errors import DomainError
    from tests.checkout.helpers import place, stocked

    variant = stocked(stock=1)
    before = scrape()
    place(variant, quantity=1)
    with pytest.raises(DomainError):
        place(variant, quantity=1)  # nothing left: refused, and counted nowhere
    after = scrape()
    assert value(after, "shop_orders_placed_total") - value(
        before, "shop_orders_placed_total") == 1
    assert value(after, "shop_stockouts_total") - value(before, "shop_stockouts_total") == 1
    assert value(after, "shop_variants_out_of_stock") == 1
