"""The back office (Flask-Admin), built per app inside the factory.

A module-level `Admin` breaks when tests create two apps (flask-admin #910, #2307), so
`init_admin` makes a new one every time, with new view instances. Endpoints are prefixed
`admin_` so they never collide with the storefront's blueprints (`orders`, `catalog`...).
Flask-Admin's own strings come from its bundled `admin` catalogue (ru included), ours from
the shop's `messages` catalogue; both follow the locale chosen by `shop.core.i18n`.
"""

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from admin.audit import AuditLogView
from admin.catalog import CategoryView, ProductView
from admin.dashboard import StaffIndexView
from admin.imports import CatalogCsvView
from admin.legal import ConsentView, LegalDocumentView
from admin.legal import init_app as init_legal
from admin.orders import OrderView
from admin.people import CustomerView, DeliveryMethodView, RoleView, StaffAccountView
from admin.returns import RefundView, ReturnView
from admin.stock import MovementView, StockAdjustView, StockView
from shop.accounts.models import Role, User
from shop.audit.models import AuditEntry
from shop.catalog.models import Category, Product, ProductVariant
from shop.inventory.models import StockMovement
from shop.legal.models import Consent
from shop.orders.models import Order
from shop.returns.models import Refund, ReturnRequest
from shop.shipping.models import DeliveryMethod


def init_admin(app):
    admin = Admin(
        app,
        name=_l("Lavka back office"),
        index_view=StaffIndexView(name=_l("Dashboard"), url="/admin"),
        # fluid: a list of orders needs the whole width of a 1366 px screen to show its totals
        theme=Bootstrap4Theme(base_template="admin/shop_master.html", fluid=True),
        # our additions to Flask-Admin's own catalogue (translations/ru/LC_MESSAGES/admin.po)
        translations_path=app.config["BABEL_TRANSLATION_DIRECTORIES"],
    )
    catalogue, stock, people, system = (
        _l("Catalogue"),
        _l("Warehouse"),
        _l("Customers"),
        _l("Administration"),
    )
    legal = _l("Legal")
    # (view class, model or None, menu name, endpoint and url, menu category)
    views = (
        (OrderView, Order, _l("Orders"), "orders", None),
        (ReturnView, ReturnRequest, _l("Returns"), "returns", None),
        (RefundView, Refund, _l("Refunds"), "refunds", None),
        (ProductView, Product, _l("Products"), "products", catalogue),
        (CategoryView, Category, _l("Categories"), "categories", catalogue),
        (CatalogCsvView, None, _l("CSV import and export"), "csv", catalogue),
        (StockView, ProductVariant, _l("Stock levels"), "stock", stock),
        (StockAdjustView, None, _l("Low stock"), "stock-adjust", stock),
        (MovementView, StockMovement, _l("Movements"), "movements", stock),
        (CustomerView, User, _l("Customers"), "customers", people),
        (DeliveryMethodView, DeliveryMethod, _l("Delivery methods"), "delivery", people),
        (StaffAccountView, User, _l("Accounts"), "accounts", system),
        (RoleView, Role, _l("Roles"), "roles", system),
        (AuditLogView, AuditEntry, _l("Audit log"), "audit", system),
        (LegalDocumentView, None, _l("Legal documents"), "legal", legal),
        (ConsentView, Consent, _l("Consents"), "consents", legal),
    )
    for view_class, model, name, url, category in views:
        args = (model,) if model is not None else ()
        endpoint = "admin_" + url.replace("-", "_")
        admin.add_view(view_class(*args, name=name, endpoint=endpoint, url=url, category=category))
    init_legal(app)  # the consents shown on the customer's and the order's pages
    app.extensions["shop_admin"] = admin
    return admin
