"""No page speaks the wrong language: crawl the shop in ru and in en and read what a person reads.

In Russian no English interface word may appear; in English no Cyrillic. Product content is
bilingual in the demo catalogue, so it takes part too. A short allow-list covers brand names,
SKUs and the language switcher.
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

# Brand and product names, the language switcher's own name for English, and technical names
# a Russian reader meets as they are (file formats, CSV column names, authenticator apps).
ALLOWED_LATIN = {
    "RU", "EN", "English", "Flask", "Lavka", "Nord", "Taiga", "Volga",
    "CSV", "SKU", "ID", "HTML", "UTF", "JPEG", "PNG", "WebP", "GIF", "QR", "IP", "URL", "JSON",
    "Google", "Authenticator", "Aegis", "FreeOTP", "TOTP", "uWSGI", "PostgreSQL", "SQLite",
    "UTC",  # time zones by their offset, "(UTC+03:00) Москва" (issue 19)
}
ALLOWED_CYRILLIC = {"Русский"}  # the language switcher names Russian in Russian
SKU = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)+$")
SIZE = re.compile(r"^X{0,3}[SML]$")
TOKEN = re.compile(r"[\w'’-]+")
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
READABLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
SKIP_PREFIXES = ("/lang/", "/media/", "/static/", "/bootstrap/", "/admin/", "/account/logout")
MAX_PAGES = 40


INTERFACE_TAGS = {"th", "label", "button", "h1", "h2", "h3", "h4", "legend", "caption", "title"}
INTERFACE_CLASSES = {"nav-link", "dropdown-item", "btn", "breadcrumb-item", "alert", "navbar-brand"}
VOID_TAGS = {"br", "img", "input", "meta", "link", "hr", "source", "col", "wbr", "area", "base"}


class ReadableText(HTMLParser):
    """Text a person sees or hears: text nodes (not script/style) and labelling attributes.

    With `interface_only`, just the interface around the data: headings, labels, table headers,
    buttons, menus and alerts (the back office shows both languages of the content by design).
    """

    def __init__(self, interface_only=False):
        super().__init__(convert_charrefs=True)
        self.chunks, self.links, self._skip = [], [], 0
        self.interface_only = interface_only
        self._stack = []

    def _in_interface(self):
        return any(self._stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID_TAGS:
            classes = set((attrs.get("class") or "").split())
            self._stack.append(tag in INTERFACE_TAGS or bool(classes & INTERFACE_CLASSES))
        if tag in ("script", "style", "textarea", "template"):
            self._skip += 1
        if self.interface_only and not self._in_interface():
            if tag == "a" and attrs.get("href"):
                self.links.append(attrs["href"])
            return
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in READABLE_ATTRIBUTES:
            if attrs.get(name):
                self.chunks.append(attrs[name])
        is_button = tag in ("input", "button") and attrs.get("type") in ("submit", "button")
        if is_button and attrs.get("value"):
            self.chunks.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea", "template") and self._skip:
            self._skip -= 1
        if tag not in VOID_TAGS and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self.interface_only and not self._in_interface():
            return
        if not self._skip and data.strip():
            self.chunks.append(data)


def foreign_words(html: str, lang: str, echoed: str = "", interface_only=False) -> list[str]:
    """Words in the wrong language; `echoed` is what the visitor typed (the search query)."""
    parser = ReadableText(interface_only)
    parser.feed(html)
    found = []
    for chunk in parser.chunks:
        if echoed:
            chunk = chunk.replace(echoed, "")
        if lang == "ru":
            for token in TOKEN.findall(chunk):
                word = token.strip("'’-")
                if len(word) < 2 or not LATIN.search(word):
                    continue
                if word in ALLOWED_LATIN or SKU.match(word) or SIZE.match(word) or "_" in word:
                    continue
                # a Russian compound with an allowed name in it: "IP-адрес", "QR-код"
                parts = word.split("-")
                if len(parts) > 1 and all(p in ALLOWED_LATIN or not LATIN.search(p) for p in parts):
                    continue
                found.append(word)
        elif CYRILLIC.search(chunk) and chunk.strip() not in ALLOWED_CYRILLIC:
            found.append(chunk.strip()[:60])
    return found


def storefront_link(url) -> bool:
    """Storefront and account pages (not the language switch, files, the back office)."""
    return not url.path.startswith(SKIP_PREFIXES) and "lang=" not in url.query


def back_office_link(url) -> bool:
    """Back-office pages and their pagination/detail links (no exports or actions)."""
    if not url.path.startswith("/admin/"):
        return False
    if any(part in url.path for part in ("export", "delete", "static", "csv")):
        return False
    return not url.query or "page=" in url.query or "id=" in url.query


def crawl(client, lang: str, start=("/",), echoed_text: str = "", follow=storefront_link,
          interface_only=False):
    """Read pages breadth-first from `start`, following the links `follow` accepts; returns
    (paths seen, {path: foreign words}). Error pages are read too (404 in the storefront);
    redirects and non-HTML answers are skipped, a 5xx fails."""
    seen, queue, problems = set(), list(start), {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path, headers={"Accept-Language": lang})
        if response.status_code in (301, 302, 303):
            continue
        assert response.status_code < 500, path
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        echoed = parse_qs(urlsplit(path).query).get("q", [echoed_text])[0]
        words = foreign_words(html, lang, echoed, interface_only=interface_only)
        if words:
            problems[path] = sorted(set(words))[:15]
        parser = ReadableText()
        parser.feed(html)
        for href in parser.links:
            url = urlsplit(urljoin("http://localhost" + path, href))
            if url.netloc not in ("", "localhost") or not follow(url):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                queue.append(target)
    return seen, problems


@pytest.fixture()
def demo(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_storefront_speaks_one_language(client, demo, lang):
    start = ("/", "/search?q=shoes", "/search?q=кроссовки", "/no-such-page", "/account/login",
             "/account/register")
    seen, problems = crawl(client, lang, start)
    assert len(seen) >= 10
    assert problems == {}, f"{lang} pages with foreign words: {problems}"


def _add_first_product_to_cart(client):
    import re as _re

    from sqlalchemy import select

    from shop.catalog.models import ProductVariant
    from shop.extensions import db

    variant = db.session.scalars(
        select(ProductVariant).where(ProductVariant.stock > 0).order_by(ProductVariant.id)
    ).first()
    page = client.get("/cart").get_data(as_text=True)
    token = _re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/cart/add", data={"variant_id": variant.id, "quantity": 1, "csrf_token": token}
    )
    assert response.status_code in (302, 303)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_account_cart_and_checkout_pages_speak_one_language(client, demo, lang):
    from tests.accounts.helpers import login
    from tests.factories import UserFactory

    name = {"ru": "Иван Петров", "en": "John Smith"}[lang]
    user = UserFactory(locale=lang, full_name=name, roles=["customer"])
    login(client, user)
    _add_first_product_to_cart(client)
    start = ("/account/profile", "/account/addresses", "/account/addresses/new", "/account/orders",
             "/account/change", "/account/change-email", "/account/tf-setup", "/account/delete",
             "/cart", "/checkout")
    seen, problems = crawl(client, lang, start, echoed_text=user.email)
    assert {"/account/profile", "/cart", "/checkout"} <= seen
    assert problems == {}, f"{lang} pages with foreign words: {problems}"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_back_office_speaks_one_language(client, demo, lang):
    from tests.accounts.helpers import login
    from tests.factories import UserFactory

    name = {"ru": "Мария Иванова", "en": "Mary Jones"}[lang]
    staff = UserFactory(locale=lang, full_name=name, roles=["admin", "manager", "warehouse"])
    login(client, staff)
    seen, problems = crawl(
        client, lang, ["/admin/"], staff.email, follow=back_office_link, interface_only=True
    )
    assert len(seen) >= 8
    assert problems == {}, f"{lang} back-office pages with foreign words: {problems}"
