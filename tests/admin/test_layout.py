"""Back-office page structure that decides the layout (issue 14.13): the product page's stock
and images blocks belong inside the page's container (they were rendered after it, flush with
the window's edge), and the orders list keeps to the columns that fit a 1366 px screen. The
widths themselves are checked in a browser (tests/e2e/test_admin_layout.py).
"""

from html.parser import HTMLParser

from tests.admin.conftest import make_order
from tests.factories import ProductFactory, VariantFactory


class ContainerOf(HTMLParser):
    """Records, for each element with an id or one of `watched` classes, whether it sits
    inside the page's main container (div.container or div.container-fluid)."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self, watched):
        super().__init__()
        self.watched = watched
        self.stack = []
        self.inside = {}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        is_container = tag == "div" and ({"container", "container-fluid"} & set(classes))
        in_container = any(entry for entry in self.stack) or bool(is_container)
        for name in self.watched & set(classes):
            self.inside.setdefault(name, in_container)
        self.stack.append(bool(is_container))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()


def test_product_page_blocks_are_inside_the_container(client, db, as_role):
    product = ProductFactory()
    VariantFactory(product=product)
    as_role("admin")
    body = client.get(f"/admin/products/edit/?id={product.id}").get_data(as_text=True)
    parser = ContainerOf({"admin-form", "admin-images", "variant-stock"})
    parser.feed(body)
    assert parser.inside == {"admin-form": True, "admin-images": True, "variant-stock": True}


def test_orders_list_shows_contacts_under_the_name(client, db, as_role):
    make_order(
        customer_name="Константин Константинопольский", email="k@example.com", phone="+79001112233"
    )
    as_role("manager")
    body = client.get("/admin/orders/").get_data(as_text=True)
    headers = body.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "col-email" not in headers and "col-phone" not in headers
    cell = body.split('<td class="col-customer_name">', 1)[1].split("</td>", 1)[0]
    assert "Константин Константинопольский" in cell
    assert "k@example.com" in cell and "+79001112233" in cell
