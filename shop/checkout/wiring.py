"""Plug the buying flow into an app: cart, checkout, orders and payments blueprints (payments
with its subscription to the orders layer's signals), the header mini-cart context, and the
merge of a guest cart on login. Called from `register_blueprints`."""


def init_app(app):
    from shop.cart.views import init_app as init_cart
    from shop.checkout.views import bp as checkout_bp
    from shop.orders.views import bp as orders_bp
    from shop.payments import init_app as init_payments

    init_cart(app)
    app.register_blueprint(checkout_bp)
    app.register_blueprint(orders_bp)
    # Its pages, and its answers to the orders layer's signals (shop.orders.signals).
    init_payments(app)
    register_filters(app)


def order_status_label(status):
    from shop.orders.models import OrderStatus

    try:
        return OrderStatus(status).label
    except ValueError:
        return status


def register_filters(app):
    # Order events need no filter: `event.note_label` reads them in the reader's language.
    app.jinja_env.filters["order_status_label"] = order_status_label
