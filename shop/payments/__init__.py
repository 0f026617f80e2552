"""Payments: provider interface, cash on delivery, the built-in test card gateway, YooKassa,
notifications.

Payments builds on orders (a payment outcome calls public `shop.orders.services` functions);
orders reaches payments only through `shop.orders.signals`, connected here.
"""


def init_app(app) -> None:
    """Subscribe to the orders layer's signals (called from `create_app`'s
    `register_blueprints`). The signals are process-wide: connecting again for another app
    changes nothing."""
    # Here, not at the top: the package's own modules import `shop.payments` (its providers),
    # so the package's __init__ names them only once they are all loaded.
    from shop.orders import signals
    from shop.payments import edits, services, settlement

    signals.order_closed.connect(services.close_payments)
    signals.payment_check.connect(services.has_succeeded_payment)
    signals.order_page_opened.connect(services.refresh_for_page)
    signals.order_handed_over.connect(settlement.settle_on_handover)
    signals.order_edited.connect(edits.settle_edit)
    # The shopper's order page offers to pay what an edit added (orders' templates cannot
    # import payments: the page asks through this global).
    app.add_template_global(edits.amount_due, "order_amount_due")
