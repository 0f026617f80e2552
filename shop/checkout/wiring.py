"""Plug the buying flow into an app: cart, checkout, orders and payments blueprints, the header
mini-cart context, and the merge of a guest cart on login. Called from `register_blueprints`."""


def init_app(app):
    from shop.cart.views import init_app as init_cart
    from shop.checkout.views import bp as checkout_bp
    from shop.orders.views import bp as orders_bp
    from shop.payments.views import bp as payments_bp

    init_cart(app)
    app.register_blueprint(checkout_bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(payments_bp)
    register_filters(app)


def order_status_label(status):
    from shop.orders.models import OrderStatus

    try:
        return OrderStatus(status).label
    except ValueError:
        return status


def register_filters(app):
    from shop.orders.models import event_note_label

    app.jinja_env.filters["order_status_label"] = order_status_label
    # {{ event.note|order_event_note }}: the shop's own event notes in the reader's language.
    app.jinja_env.filters["order_event_note"] = event_note_label
