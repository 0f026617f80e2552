"""Every model, imported once so SQLAlchemy's registry and Alembic see the whole schema."""

from shop.accounts.models import Address, CustomerNote, Role, User
from shop.audit.models import AuditEntry
from shop.cart.models import Cart, CartLine
from shop.catalog.models import Category, Product, ProductImage, ProductVariant
from shop.inventory.models import StockMovement
from shop.legal.models import Consent, LegalDocument, LegalVersion
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order, OrderEvent, OrderLine
from shop.payments.models import Payment, PaymentEvent
from shop.returns.models import Refund, RefundLine, ReturnLine, ReturnRequest
from shop.shipping.models import DeliveryMethod

__all__ = [
    "Address",
    "AuditEntry",
    "Cart",
    "CartLine",
    "Category",
    "Consent",
    "CustomerNote",
    "DeliveryMethod",
    "LegalDocument",
    "LegalVersion",
    "OrderEvent",
    "OrderLine",
    "Order",
    "OutboxMessage",
    "Payment",
    "PaymentEvent",
    "Product",
    "ProductImage",
    "ProductVariant",
    "Refund",
    "RefundLine",
    "ReturnLine",
    "ReturnRequest",
    "Role",
    "StockMovement",
    "User",
]
