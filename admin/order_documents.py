"""Printable documents of an order: the invoice and the packing slip, one order or many.

Plain HTML pages laid out for A4 paper (shop/static/css/documents.css: `@page`, one document
per printed page), opened from the order's page or, for the orders ticked in the list, from
its "Print invoices" and "Print packing slips" actions. The invoice names the seller (the
LEGAL_* settings, which the legal documents use too), the buyer, the lines with their VAT rate
and VAT amount as sold, and the totals; the packing slip lists what to pack (SKU, product,
quantity) and where it goes, without prices (it travels in the parcel).

Every staff role may print both: the warehouse packs with them, and the order's page shows
them the same figures.
"""

from dataclasses import dataclass
from decimal import Decimal

from flask import abort, current_app, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from admin.base import parse_ids
from shop.core.i18n import shop_time
from shop.core.vat import as_rate, vat_amount
from shop.extensions import db
from shop.orders.models import Order

MAX_DOCUMENTS = 200  # orders printed at once: a day's parcels, not the whole history
KINDS = {"invoice": "admin/orders/invoices.html", "packing-slip": "admin/orders/packing_slips.html"}
# Seller details as the settings name them (environment: SHOP_LEGAL_NAME...); the first four
# are what an invoice must show, the bank details are printed when set.
SELLER_REQUIRED = ("LEGAL_NAME", "LEGAL_INN", "LEGAL_ADDRESS")
SELLER_FIELDS = (
    ("LEGAL_NAME", _l("Seller")),
    ("LEGAL_INN", _l("INN")),
    ("LEGAL_KPP", _l("KPP")),
    ("LEGAL_OGRN", _l("OGRN")),
    ("LEGAL_ADDRESS", _l("Address")),
    ("LEGAL_PHONE", _l("Phone")),
    ("LEGAL_EMAIL", _l("Email")),
    ("LEGAL_BANK", _l("Bank")),
    ("LEGAL_BIK", _l("BIC")),
    ("LEGAL_ACCOUNT", _l("Account")),
    ("LEGAL_CORR_ACCOUNT", _l("Correspondent account")),
)


@dataclass
class InvoiceLine:
    number: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    total: Decimal
    rate: object  # shop.core.vat.VatRate
    vat: Decimal


def invoice_lines(order: Order) -> list[InvoiceLine]:
    """The order's lines as sold, then its delivery when it cost anything, each with its VAT
    rate and the VAT inside its (VAT-inclusive) sum."""
    rows = []
    for number, line in enumerate(order.lines, 1):
        name = f"{line.name} ({line.label})" if line.label else line.name
        rows.append(InvoiceLine(number, line.sku, name, line.quantity, line.unit_price,
                                line.line_total, as_rate(line.vat_rate),
                                vat_amount(line.line_total, line.vat_rate)))
    if order.delivery_price:
        rows.append(InvoiceLine(len(rows) + 1, "", _("Delivery: %(method)s",
                                                     method=order.delivery_name),
                                1, order.delivery_price, order.delivery_price,
                                as_rate(order.delivery_vat_rate),
                                vat_amount(order.delivery_price, order.delivery_vat_rate)))
    return rows


def seller_details() -> list[tuple[str, str]]:
    """(label, value) of every seller detail set in the settings."""
    config = current_app.config
    return [(str(label), str(config.get(key))) for key, label in SELLER_FIELDS if config.get(key)]


def missing_seller_details() -> list[str]:
    return [key for key in SELLER_REQUIRED if not current_app.config.get(key)]


def orders_by_ids(ids) -> list[Order]:
    """The orders with these ids, lines loaded, in the order asked (unknown ids dropped)."""
    ids = list(dict.fromkeys(ids))[:MAX_DOCUMENTS]
    if not ids:
        return []
    found = {
        order.id: order
        for order in db.session.scalars(
            select(Order).where(Order.id.in_(ids)).options(selectinload(Order.lines))
        )
    }
    return [found[pk] for pk in ids if pk in found]


class OrderDocumentsMixin:
    """The documents' pages and the list's print actions, for admin.orders.OrderView."""

    @expose("/<int:order_id>/invoice")
    def invoice(self, order_id):
        return self._documents("invoice", [order_id])

    @expose("/<int:order_id>/packing-slip")
    def packing_slip(self, order_id):
        return self._documents("packing-slip", [order_id])

    @expose("/documents/<kind>")
    def documents(self, kind):
        """Documents of many orders (`?id=1&id=2`): what the list's print actions open."""
        if kind not in KINDS:
            abort(404)
        return self._documents(kind, parse_ids(request.args.getlist("id")))

    def _documents(self, kind, ids):
        orders = orders_by_ids(ids)
        if not orders:
            abort(404)
        single = len(orders) == 1
        # Papers handed to the customer carry the shop's time, not the printing staff member's.
        with shop_time():
            return self.render(
                KINDS[kind],
                orders=orders,
                lines_of=invoice_lines,
                seller=seller_details(),
                missing_seller=missing_seller_details(),
                back_url=url_for(".details_view", id=orders[0].id) if single
                else url_for(".index_view"),
                title=_("Invoice") if kind == "invoice" else _("Packing slip"),
            )

    @action("print_invoices", _l("Print invoices"))
    def action_print_invoices(self, ids):
        return self._print("invoice", ids)

    @action("print_packing_slips", _l("Print packing slips"))
    def action_print_packing_slips(self, ids):
        return self._print("packing-slip", ids)

    def _print(self, kind, ids):
        ids = parse_ids(ids)[:MAX_DOCUMENTS]
        if not ids:
            return None
        return redirect(url_for(".documents", kind=kind, id=ids))
