"""Storefront pages: home, category listing, search, product page, images, sitemap, robots.

Every page can be opened in a given language with `?lang=ru|en` (shop.core.i18n): the hreflang
alternates and the sitemap use those URLs.
"""

import re
from datetime import UTC
from urllib.parse import quote, urlencode

from flask import (
    Blueprint,
    abort,
    make_response,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import iter_multi_items

from shop.catalog import picker, queries
from shop.catalog.attributes import colour_label
from shop.catalog.cards import product_cards_html
from shop.catalog.images import THUMB_SIZES, ensure_thumbnail, original_path, thumb_height
from shop.catalog.menu import nav_categories
from shop.catalog.search import MAX_QUERY_LENGTH, printable
from shop.catalog.seo import own_title, page_description, summary_of
from shop.core.i18n import LANGUAGES, current_language
from shop.core.money import format_money
from shop.core.sql import reading_only
from shop.core.templating import memo_url_for
from shop.reports.bestsellers import bestseller_product_ids

bp = Blueprint("catalog", __name__)
# The category menu of every page's header (shop.catalog.menu).
bp.add_app_template_global(nav_categories, "nav_categories")
# How the product page compares colours (shop.catalog.picker): data-colour of its pictures.
bp.add_app_template_global(picker.colour_key, "picker_key")
# Product cards, kept rendered (shop.catalog.cards).
bp.add_app_template_global(product_cards_html, "product_cards_html")

@bp.app_template_global()
def thumb_size(image, width: int) -> tuple[int, int]:
    """(width, height) attributes of an image's `width` thumbnail (no layout shift)."""
    return min(width, image.width), thumb_height(image, width)


# What werkzeug's URL converters leave unquoted in a path segment (BaseConverter.to_url).
_PATH_SAFE = "!$&'()*+,/:;=@"
_prefixes: dict = {}


def _prefix(endpoint: str, **values) -> str:
    """Everything of the endpoint's URL before its last segment, as url_for builds it under
    this request's root (the last value is "x"); kept per root, for up to 64 roots (a Host
    header is the client's to write)."""
    key = (request.root_url, endpoint, *values.values())
    prefix = _prefixes.get(key)
    if prefix is None:
        prefix = url_for(endpoint, **values, **{_LAST[endpoint]: "x"})[:-1]
        if len(_prefixes) < 64:
            _prefixes[key] = prefix
    return prefix


_LAST = {"catalog.product": "slug", "catalog.thumbnail": "name"}


@bp.app_template_global()
def product_url(slug: str) -> str:
    """url_for('catalog.product', slug=slug), built without werkzeug's router: a listing
    shows dozens of cards, and building their links was a tenth of its time."""
    return _prefix("catalog.product") + quote(slug, safe=_PATH_SAFE)


@bp.app_template_global()
def thumb_url(width: int, name: str) -> str:
    """url_for('catalog.thumbnail', width=width, name=name), as product_url."""
    return _prefix("catalog.thumbnail", width=int(width)) + quote(name, safe=_PATH_SAFE)


@bp.app_template_global()
def colour_name(value: str | None) -> str:
    """A stored colour ("чёрный") in the reader's language; unknown colours are shown as stored."""
    return colour_label(value)


# What werkzeug's URL building leaves unquoted in a query (werkzeug.urls._urlencode).
_QUERY_SAFE = "!$'()*,/:;?@"


def _url_parts(external: bool) -> tuple[str, dict]:
    """(this page's path, its query as a dict of lists): what `_this_url` starts from."""
    view_args = request.view_args or {}
    # Query keys starting with "_" would be url_for's own options (_scheme, _anchor...): dropped.
    args = {
        k: v for k, v in request.args.to_dict(flat=False).items()
        if not k.startswith("_") and k not in view_args
    }
    return memo_url_for(request.endpoint, _external=external, **view_args), args


def _with_query(base: str, args: dict) -> str:
    query = [item for item in iter_multi_items(args) if item[1] is not None]
    return f"{base}?{urlencode(query, safe=_QUERY_SAFE)}" if query else base


def _this_url(external: bool, **overrides) -> str:
    """This page's URL with the same query, `overrides` changed (None drops a key).

    The same URL as url_for(request.endpoint, **view_args, **query) builds, cheaper: the path
    comes from the worker's memo of URLs (shop.core.templating.memo_url_for), the query is
    encoded as werkzeug encodes it (in order, lists repeated, a space as "+"). A listing's
    pager and language links build a dozen such URLs per page.
    """
    base, args = _url_parts(external)
    args.update(overrides)
    return _with_query(base, args)


@bp.app_template_global()
def lang_url(lang: str | None = None, **overrides) -> str:
    """This page's absolute URL with the same query, in `lang` (None: without a language)."""
    return _this_url(True, **overrides, lang=lang)


@bp.app_template_global()
def canonical_url(page: int | None = None) -> str:
    """This page's canonical URL: its path, the language only when the address names one
    (`?lang=`) and a listing's page number past the first; never filters, sorting or a chosen
    variant.

    Each address of a page's hreflang set names itself, the bare one (the x-default, shown in
    the reader's language) included: "/" naming "/?lang=ru" told search engines that one
    alternate is a duplicate of another (Lighthouse: "points to another hreflang location").
    """
    args = dict(request.view_args or {})
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        args["lang"] = lang
    if page and page > 1:
        args["page"] = page
    return memo_url_for(request.endpoint, _external=True, **args)


@bp.app_template_global()
def page_linker():
    """page -> this page's URL with the same filters and sorting at that page number, for the
    many links of a pager: the path and query are read once."""
    base, args = _url_parts(False)
    return lambda page: _with_query(base, {**args, "page": page})


@bp.before_request
def _pages_only_read():
    """Catalogue pages only read: their statements run without a transaction around them
    (shop.core.sql.reading_only), each one round trip to PostgreSQL instead of three. Every
    read of a page stands on its own (a card's row, a product with its variants), so nothing
    needs one snapshot across statements. Pictures are files: no connection for them."""
    if request.endpoint not in _FILE_ENDPOINTS:
        reading_only()


_FILE_ENDPOINTS = frozenset({"catalog.thumbnail", "catalog.original", "catalog.robots"})


@bp.route("/")
def home():
    # A few more bestsellers than a shelf holds: some may be hidden or gone from the catalogue.
    shelves = queries.home_collections(bestseller_product_ids(16))
    categories = queries.nav_categories()
    return render_template(
        "catalog/home.html",
        categories=categories,
        tile_images=queries.category_tile_images(categories),
        shelves=shelves,
        # New arrivals and the sale have pages of their own; popular products lead to the
        # category holding most of them.
        popular_category=queries.leading_category(shelves.popular),
    )


@bp.route("/catalog/<slug>")
def category(slug):
    cat = queries.category_by_slug(slug)
    if cat is None:
        abort(404)
    filters = queries.Filters.from_args(request.args)
    page, facets = queries.category_listing(cat, filters)
    return render_template(
        "catalog/category.html",
        category=cat,
        breadcrumbs=queries.breadcrumbs(cat),
        pagination=page,
        facets=facets,
        filters=filters,
    )


@bp.route("/new")
def new_arrivals():
    """Every new arrival (added in the last NEW_ARRIVALS_DAYS), newest first."""
    return _collection("new")


@bp.route("/sale")
def sale():
    """Every reduced product, the biggest discount first."""
    return _collection("sale")


def _collection(name: str):
    filters = queries.Filters.from_args(request.args)
    page, facets = queries.collection_listing(name, filters)
    return render_template(
        "catalog/collection.html",
        collection=name,
        days=queries.new_arrivals_days(),
        pagination=page,
        facets=facets,
        filters=filters,
    )


@bp.route("/search")
def search():
    q = " ".join(printable(request.args.get("q")).split())[:MAX_QUERY_LENGTH]
    filters = queries.Filters.from_args(request.args, default_sort="relevance")
    page, facets = queries.search_listing(q, filters) if q else (None, None)
    return render_template(
        "catalog/search.html", q=q, pagination=page, facets=facets, filters=filters
    )


@bp.route("/product/<slug>")
def product(slug):
    """The product page; `?variant=<id>` chooses one of its variants (anything else is ignored:
    a stale or foreign id shows the default choice, never an error)."""
    item, related = queries.product_with_related(slug)
    if item is None:
        abort(404)
    chosen = picker.build(item, request.args.get("variant"))
    summary = summary_of(item.description)
    # Staff's own search-engine title and description in the page's language (the editor's
    # SEO tab), else the name and summary as before: columns of the product already loaded.
    lang = current_language()
    return render_template(
        "catalog/product.html",
        product=item,
        picker=chosen,
        variant_data=picker.variant_data(chosen, format_money, _stock_text),
        related=related,
        breadcrumbs=queries.breadcrumbs(queries.catalog_tree().by_id[item.category_id]),
        meta_title=own_title(item, lang),
        page_description=page_description(item, lang, summary),
    )


def _stock_text(count: int) -> str:
    if count <= 0:
        return _("Out of stock")
    return ngettext("%(num)d piece in stock", "%(num)d pieces in stock", count)


@bp.route("/sitemap.xml")
def sitemap():
    categories, products = queries.sitemap_entries()
    pages = [
        (url_for(endpoint, _external=True), None)
        for endpoint in ("catalog.home", "catalog.new_arrivals", "catalog.sale")
    ]
    pages += [
        (url_for("catalog.category", slug=c.slug, _external=True), c.updated_at) for c in categories
    ]
    pages += [
        (url_for("catalog.product", slug=slug, _external=True), updated)
        for slug, updated in products
    ]
    body = render_template(
        "catalog/sitemap.xml",
        pages=[(url, updated.replace(tzinfo=UTC) if updated else None) for url, updated in pages],
        languages=LANGUAGES,
    )
    response = make_response(body)
    response.mimetype = "application/xml"
    return response


@bp.route("/robots.txt")
def robots():
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /account/",
        "Disallow: /cart",
        "Disallow: /checkout",
        "Disallow: /search",
        "Allow: /",
        f"Sitemap: {url_for('catalog.sitemap', _external=True)}",
    ]
    response = make_response("\n".join(lines) + "\n")
    response.mimetype = "text/plain"
    return response


@bp.route("/media/products/<int:width>/<name>")
def thumbnail(width, name):
    """A product image at one of the allowed widths, cached by browsers for a year."""
    if width not in THUMB_SIZES or not _is_media_name(name):
        abort(404)
    try:
        path = ensure_thumbnail(name, width)
    except FileNotFoundError:
        abort(404)
    return _immutable(send_file(path, mimetype="image/webp", max_age=365 * 24 * 3600))


@bp.route("/media/products/original/<name>")
def original(name):
    if not _is_media_name(name):
        abort(404)
    try:
        response = send_file(original_path(name), mimetype="image/jpeg", max_age=365 * 24 * 3600)
    except FileNotFoundError:
        abort(404)
    return _immutable(response)


def _immutable(response):
    # Image names are random and never reused, so the bytes behind a URL never change.
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


_MEDIA_NAME = re.compile(r"[0-9a-f]{32}\.jpg")


def _is_media_name(name: str) -> bool:
    return bool(_MEDIA_NAME.fullmatch(name))
