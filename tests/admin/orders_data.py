"""An order as checkout leaves it, built directly: for back-office tests (unit and browser)."""

import secrets
from decimal import Decimal

from shop.orders.models import Order, OrderEvent, OrderLine


def build_order(variant, method, status="new", quantity=2, user=None, **kwargs) -> Order:
    """A new, unsaved Order of `quantity` x `variant`, delivered by `method`."""
    delivery = kwargs.pop("delivery_price", Decimal("390.00"))
    subtotal = variant.price * quantity
    order = Order(
        number=kwargs.pop("number", f"L-{secrets.token_hex(3).upper()}"),
        user_id=user.id if user else None,
        email=kwargs.pop("email", "buyer@example.com"),
        phone=kwargs.pop("phone", "+79001234567"),
        customer_name=kwargs.pop("customer_name", "Иван Петров"),
        shipping_address="101000, Москва, ул. Мясницкая, 1",
        delivery_method_id=method.id,
        delivery_method_name=method.name_ru,
        delivery_price=delivery,
        payment_method=kwargs.pop("payment_method", "cash"),
        subtotal=subtotal,
        total=subtotal + delivery,
        status=status,
        locale="ru",
        access_token=secrets.token_hex(16),
        **kwargs,
    )
    order.lines.append(
        OrderLine(
            variant_id=variant.id,
            product_name=variant.product.name_ru,
            variant_label=variant.label or None,
            sku=variant.sku,
            unit_price=variant.price,
            quantity=quantity,
            line_total=subtotal,
        )
    )
    order.events.append(OrderEvent(from_status=None, to_status=status))
    return order
