"""Storefront pages: home, category listing, search, product page, product images."""

from flask import Blueprint, abort, render_template, request, send_file

from shop.catalog import queries
from shop.catalog.images import THUMB_SIZES, ensure_thumbnail, original_path

bp = Blueprint("catalog", __name__)


@bp.route("/")
def home():
    featured, newest = queries.home_products()
    return render_template(
        "catalog/home.html",
        categories=queries.nav_categories(),
        featured=featured,
        newest=newest,
    )


@bp.route("/catalog/<slug>")
def category(slug):
    cat = queries.category_by_slug(slug)
    if cat is None:
        abort(404)
    page = _int_arg("page", 1)
    pagination = queries.category_products(cat, page=page)
    return render_template(
        "catalog/category.html",
        category=cat,
        breadcrumbs=queries.breadcrumbs(cat),
        pagination=pagination,
    )


@bp.route("/search")
def search():
    q = (request.args.get("q") or "").strip()[:200]
    pagination = queries.search_products(q, page=_int_arg("page", 1)) if q else None
    return render_template("catalog/search.html", q=q, pagination=pagination)


@bp.route("/product/<slug>")
def product(slug):
    item = queries.product_by_slug(slug)
    if item is None:
        abort(404)
    return render_template(
        "catalog/product.html",
        product=item,
        breadcrumbs=queries.breadcrumbs(item.category),
    )


def _int_arg(name: str, default: int) -> int:
    """A positive integer from the query string; anything odd falls back to the default."""
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return value if 0 < value < 1_000_000 else default


@bp.route("/media/products/<int:width>/<name>")
def thumbnail(width, name):
    """A product image at one of the allowed widths, cached by browsers for a year."""
    if width not in THUMB_SIZES or not _is_media_name(name):
        abort(404)
    try:
        path = ensure_thumbnail(name, width)
    except FileNotFoundError:
        abort(404)
    return send_file(path, mimetype="image/webp", max_age=365 * 24 * 3600)


@bp.route("/media/products/original/<name>")
def original(name):
    if not _is_media_name(name):
        abort(404)
    try:
        return send_file(original_path(name), mimetype="image/jpeg", max_age=365 * 24 * 3600)
    except FileNotFoundError:
        abort(404)


def _is_media_name(name: str) -> bool:
    stem, dot, ext = name.partition(".")
    return (
        bool(dot)
        and ext == "jpg"
        and len(stem) == 32
        and all(c in "0123456789abcdef" for c in stem)
    )
