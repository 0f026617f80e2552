"""Back-office page structure (issues 14.13, 19.1, 19.7): a side navigation grouped by task
that shows each reader only what their role opens, the page inside one <main> landmark with a
skip link to it, lists whose header cells all say what their column is and whose row
checkboxes have labels, and the orders list keeping to the columns that fit a 1366 px screen.
The widths themselves, the phone's off-canvas menu and axe-core are checked in a browser
(tests/e2e/test_admin_layout.py, tests/e2e/test_admin_a11y.py).
"""

import re
from html.parser import HTMLParser

import pytest

from tests.admin.conftest import make_order
from tests.factories import ProductFactory, VariantFactory

# What each role finds in the side navigation, group by group, in English.
NAVIGATION = {
    "admin": [
        ("Sales", ["Dashboard", "Orders", "Returns", "Refunds"]),
        ("Catalogue", ["Products", "Categories", "CSV import and export"]),
        ("Warehouse", ["Stock levels", "Low stock", "Movements"]),
        ("Customers", ["Customers", "Consents"]),
        ("Settings", ["Delivery methods", "Legal documents", "Accounts", "Roles", "Audit log",
                      "My settings"]),
    ],
    "manager": [
        ("Sales", ["Dashboard", "Orders", "Returns", "Refunds"]),
        ("Catalogue", ["Products", "Categories", "CSV import and export"]),
        ("Customers", ["Customers", "Consents"]),
        ("Settings", ["Delivery methods", "Legal documents", "My settings"]),
    ],
    "warehouse": [
        ("Sales", ["Dashboard", "Orders", "Returns"]),
        ("Warehouse", ["Stock levels", "Low stock", "Movements"]),
        ("Settings", ["My settings"]),  # every role: their own language and time zone
    ],
}


class Landmarks(HTMLParser):
    """The side navigation's groups and entries, and for each element with one of `watched`
    classes whether it sits inside <main>."""

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

    def __init__(self, watched=()):
        super().__init__()
        self.watched = set(watched)
        self.stack = []
        self.inside = {}
        self.mains = 0
        self.groups = []
        self._text = None

    def _within(self, tag, cls=None):
        return any(t == tag and (cls is None or cls in c) for t, c in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag == "main":
            self.mains += 1
        in_main = self._within("main") or tag == "main"
        for name in self.watched & classes:
            self.inside.setdefault(name, in_main)
        if tag == "h2" and "admin-nav-heading" in classes:
            self._text = ("group", [])
        elif tag == "a" and "admin-nav-link" in classes:
            self._text = ("entry", [])
        if tag not in self.VOID:
            self.stack.append((tag, classes))

    def handle_data(self, data):
        if self._text is not None:
            self._text[1].append(data)

    def handle_endtag(self, tag):
        if self._text is not None and tag in ("h2", "a"):
            kind, parts = self._text
            text = " ".join("".join(parts).split())
            if kind == "group":
                self.groups.append((text, []))
            elif self.groups:
                self.groups[-1][1].append(text)
            self._text = None
        if tag not in self.VOID and self.stack:
            self.stack.pop()


def parse(body, watched=()):
    parser = Landmarks(watched)
    parser.feed(body)
    return parser


@pytest.mark.parametrize("role", sorted(NAVIGATION))
def test_side_navigation_is_grouped_by_task_and_follows_the_role(client, db, as_role, role):
    as_role(role, locale="en")
    for path in ("/admin/", "/admin/orders/"):
        body = client.get(path).get_data(as_text=True)
        assert parse(body).groups == NAVIGATION[role], path


def test_the_current_page_is_marked_in_the_navigation(client, db, as_role):
    as_role("manager", locale="en")
    body = client.get("/admin/products/").get_data(as_text=True)
    current = re.findall(
        r'<a class="admin-nav-link active" href="([^"]+)" aria-current="page">', body
    )
    assert current == ["/admin/products/"]


def test_the_navigation_speaks_the_readers_language(client, db, as_role, tr):
    as_role("admin", locale="ru")
    groups = parse(client.get("/admin/").get_data(as_text=True)).groups
    assert groups == [
        (tr("ru", group), [tr("ru", entry) for entry in entries])
        for group, entries in NAVIGATION["admin"]
    ]
    assert groups[1][0] == "Каталог"


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/orders/", "/admin/products/new/", "/admin/csv/", "/admin/legal/"]
)
def test_every_page_has_one_main_with_a_skip_link_to_it(client, db, as_role, path):
    as_role("admin", locale="en")
    body = client.get(path).get_data(as_text=True)
    parser = parse(body, {"admin-sidebar", "admin-topbar", "admin-page"})
    assert parser.mains == 1
    assert '<main class="admin-content" id="admin-main"' in body
    assert '<a class="skip-link" href="#admin-main">' in body
    assert parser.inside == {"admin-sidebar": False, "admin-topbar": False, "admin-page": True}
    assert body.count("<h1") == 1


def test_product_page_blocks_are_inside_main(client, db, as_role):
    product = ProductFactory()
    VariantFactory(product=product)
    as_role("admin")
    body = client.get(f"/admin/products/edit/?id={product.id}").get_data(as_text=True)
    parser = parse(body, {"admin-form", "variant-stock"})
    assert parser.inside == {"admin-form": True, "variant-stock": True}


def test_list_headers_and_row_checkboxes_are_named(client, db, as_role):
    for _ in range(2):
        ProductFactory()
    as_role("manager", locale="en")
    body = client.get("/admin/products/").get_data(as_text=True)
    head = body.split("<thead>", 1)[1].split("</thead>", 1)[0]
    for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S):
        assert re.sub(r"<[^>]+>|&nbsp;", "", cell).strip(), cell
    assert '<span class="sr-only">Select all records</span>' in head
    assert '<span class="sr-only">Actions</span>' in head
    boxes = re.findall(
        r"<label><input type=\"checkbox\" name=\"rowid\"[^>]*><span class=\"sr-only\">"
        r"([^<]+)</span></label>",
        body,
    )
    assert len(boxes) == 2 and all(b.startswith("Select record") for b in boxes)
    assert 'title="Select record"' not in body
    # the search box has a label; "Create" is the page's main button
    assert '<label class="sr-only" for="list-search">Search</label>' in body
    assert re.search(
        r'<a href="/admin/products/new/[^"]*" class="btn btn-primary list-create">', body
    )


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
