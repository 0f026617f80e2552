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
from admin.my_settings import MySettingsView
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

# Font Awesome 4.7 icons (bundled with Flask-Admin) of the side navigation's entries, by url.
MENU_ICONS = {
    "dashboard": "fa-tachometer",
    "orders": "fa-shopping-bag",
    "returns": "fa-undo",
    "refunds": "fa-money",
    "products": "fa-cube",
    "categories": "fa-sitemap",
    "csv": "fa-exchange",
    "stock": "fa-archive",
    "stock-adjust": "fa-exclamation-triangle",
    "movements": "fa-history",
    "customers": "fa-users",
    "consents": "fa-check-square-o",
    "delivery": "fa-truck",
    "legal": "fa-file-text-o",
    "accounts": "fa-id-badge",
    "roles": "fa-key",
    "audit": "fa-list-alt",
    "my-settings": "fa-user-circle",
}


def init_admin(app):
    # The side navigation is grouped by task (issue 19.1): Flask-Admin's menu categories, in
    # the order their first view is added. The dashboard opens the "Sales" group.
    sales, catalogue, warehouse, people, settings = (
        _l("Sales"),
        _l("Catalogue"),
        _l("Warehouse"),
        _l("Customers"),
        _l("Settings"),
    )
    admin = Admin(
        app,
        name=_l("Lavka back office"),
        index_view=StaffIndexView(
            name=_l("Dashboard"),
            url="/admin",
            category=sales,
            menu_icon_type="fa",
            menu_icon_value=MENU_ICONS["dashboard"],
        ),
        # fluid: a list of orders needs the whole width of a 1366 px screen to show its totals
        theme=Bootstrap4Theme(base_template="admin/shop_master.html", fluid=True),
        # our additions to Flask-Admin's own catalogue (translations/ru/LC_MESSAGES/admin.po)
        translations_path=app.config["BABEL_TRANSLATION_DIRECTORIES"],
    )
    # (view class, model or None, menu name, endpoint and url, menu group); each reader sees
    # only the entries their role opens (RoleRequired.is_accessible), and a group only when it
    # has one.
    views = (
        (OrderView, Order, _l("Orders"), "orders", sales),
        (ReturnView, ReturnRequest, _l("Returns"), "returns", sales),
        (RefundView, Refund, _l("Refunds"), "refunds", sales),
        (ProductView, Product, _l("Products"), "products", catalogue),
        (CategoryView, Category, _l("Categories"), "categories", catalogue),
        (CatalogCsvView, None, _l("CSV import and export"), "csv", catalogue),
        (StockView, ProductVariant, _l("Stock levels"), "stock", warehouse),
        (StockAdjustView, None, _l("Low stock"), "stock-adjust", warehouse),
        (MovementView, StockMovement, _l("Movements"), "movements", warehouse),
        (CustomerView, User, _l("Customers"), "customers", people),
        (ConsentView, Consent, _l("Consents"), "consents", people),
        (DeliveryMethodView, DeliveryMethod, _l("Delivery methods"), "delivery", settings),
        (LegalDocumentView, None, _l("Legal documents"), "legal", settings),
        (StaffAccountView, User, _l("Accounts"), "accounts", settings),
        (RoleView, Role, _l("Roles"), "roles", settings),
        (AuditLogView, AuditEntry, _l("Audit log"), "audit", settings),
        # every staff role: their own language and time zone (issue 19)
        (MySettingsView, None, _l("My settings"), "my-settings", settings),
    )
    for view_class, model, name, url, category in views:
        args = (model,) if model is not None else ()
        endpoint = "admin_" + url.replace("-", "_")
        admin.add_view(
            view_class(
                *args,
                name=name,
                endpoint=endpoint,
                url=url,
                category=category,
                menu_icon_type="fa",
                menu_icon_value=MENU_ICONS.get(url, "fa-circle-o"),
            )
        )
    init_legal(app)  # the consents shown on the customer's and the order's pages
    app.extensions["shop_admin"] = admin
    return admin
