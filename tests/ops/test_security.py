"""Hardening: security headers on every kind of response, trusted hosts, proxies, upload size,
no debug in production."""

import base64
import hashlib
import html
import re

import pytest

from config.production import ConfigError
from shop import create_app
from shop.core.net import PROXY_MARK
from tests.factories import ProductFactory, UserFactory, VariantFactory
from tests.ops.helpers import dispose, env_app


def csp_directives(response):
    policy = response.headers["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:]
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


def assert_hardened(response, admin=False):
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    script = directives["script-src"]
    assert "'self'" in script
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    allowed = ("'nonce-", "'sha256-", "'unsafe-hashes'") if admin else ("'nonce-",)
    assert all(s == "'self'" or s.startswith(allowed) for s in script)
    if not admin:
        assert directives["style-src"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Request-ID"]


@pytest.fixture()
def pages(db):
    product = ProductFactory(slug="teapot")
    VariantFactory(product=product)
    return {
        "home": "/",
        "category": f"/catalog/{product.category.slug}",
        "product": "/product/teapot",
        "search": "/search?q=teapot",
        "login": "/account/login",
        "register": "/account/register",
        "cart": "/cart",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "static": "/static/css/shop.css",
        "missing": "/no-such-page",
        "healthz": "/healthz",
        "readyz": "/readyz",
        "metrics (refused)": "/metrics",
        "back office (redirect)": "/admin/",
    }


def test_every_kind_of_page_carries_the_security_headers(client, pages):
    for name, path in pages.items():
        response = client.get(path)
        response.close()
        assert response.status_code < 500, name
        assert_hardened(response, admin=path.startswith("/admin")), name


def test_error_responses_carry_them_too(client, db):
    # a POST without a CSRF token is refused (400), a huge body too (413)
    assert_hardened(client.post("/account/login", data={"email": "a@b.c"}))
    big = client.post("/account/login", data=b"x" * (16 * 1024 * 1024 + 1),
                      content_type="application/octet-stream")
    assert big.status_code == 413
    assert_hardened(big)


def test_no_page_contains_inline_script_or_style(client, pages):
    for name, path in pages.items():
        response = client.get(path)
        body = response.get_data(as_text=True)
        response.close()
        # A JSON data block (the product page's variants) is never run, so the policy
        # needs nothing for it; any other script without src would need 'unsafe-inline'.
        code = r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
        assert not re.search(code, body), name
        assert not re.search(r"\sstyle=\"", body), name
        assert not re.search(r"\son[a-z]+=\"", body), name


def test_back_office_scripts_get_the_request_nonce(app):
    admin = app.extensions["shop_admin"]
    with app.test_request_context("/admin/"):
        app.preprocess_request()
        from flask import request

        assert admin.csp_nonce_generator() == request.csp_nonce
        assert len(request.csp_nonce) >= 16


def test_back_office_policy_allows_inline_styles_only_under_admin(client, db):
    admin = client.get("/admin/")
    assert "'unsafe-inline'" in csp_directives(admin)["style-src"]
    assert "'unsafe-inline'" not in csp_directives(admin)["script-src"]
    assert csp_directives(client.get("/administrator"))["style-src"] == ["'self'"]


def test_hsts_only_over_https(client, db):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    secure = client.get("/healthz", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forwarded_headers_are_ignored_without_proxy_count(client, db):
    response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"},
                          environ_overrides={"REMOTE_ADDR": "203.0.113.9"})
    assert "Strict-Transport-Security" not in response.headers


def test_forwarded_headers_are_honoured_with_proxy_count(monkeypatch, db):
    app = env_app(monkeypatch, SHOP_PROXY_COUNT="1")
    try:
        app.config["METRICS_ALLOWED_NETWORKS"] = ["198.51.100.0/24"]

        client = app.test_client()
        client.environ_base[PROXY_MARK] = "1"  # came through the nginx site's uwsgi socket
        response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
        assert response.headers["Strict-Transport-Security"]
        # the client address comes from X-Forwarded-For, set by our one trusted proxy
        assert client.get("/metrics", headers={"X-Forwarded-For": "198.51.100.7"}
                          ).status_code == 200
        assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.1"}
                          ).status_code == 403
    finally:
        dispose(app)


def test_forwarded_headers_are_ignored_on_the_plain_listener_even_with_proxy_count(
    monkeypatch, db
):
    """SHOP_PROXY_COUNT=1, but the request came to the HTTP port, not through nginx."""
    app = env_app(monkeypatch, SHOP_PROXY_COUNT="1")
    try:
        app.config["METRICS_ALLOWED_NETWORKS"] = ["198.51.100.0/24"]
        client = app.test_client()
        remote = {"REMOTE_ADDR": "203.0.113.9"}
        response = client.get(
            "/healthz", headers={"X-Forwarded-Proto": "https"}, environ_overrides=remote
        )
        assert "Strict-Transport-Security" not in response.headers
        spoofed = client.get(
            "/metrics", headers={"X-Forwarded-For": "198.51.100.7"}, environ_overrides=remote
        )
        assert spoofed.status_code == 403
        # a header named like the mark is just a header (HTTP_LAVKA_PROXY), never the mark
        spoofed = client.get(
            "/metrics",
            headers={"X-Forwarded-For": "198.51.100.7", "Lavka-Proxy": "1"},
            environ_overrides=remote,
        )
        assert spoofed.status_code == 403
    finally:
        dispose(app)


def test_forwarded_prefix_is_never_believed(monkeypatch, db):
    app = env_app(monkeypatch, SHOP_PROXY_COUNT="1")
    try:
        client = app.test_client()
        client.environ_base[PROXY_MARK] = "1"
        page = client.get("/account/login", headers={"X-Forwarded-Prefix": "@evil.example"})
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "evil.example" not in html
    finally:
        dispose(app)


def test_a_forged_host_is_refused_and_never_reaches_a_link(monkeypatch, db):
    app = env_app(monkeypatch, SHOP_TRUSTED_HOSTS='["shop.example.com"]')
    try:

        @app.get("/__ops_test/link")
        def link():
            from flask import url_for

            return url_for("catalog.home", _external=True)

        client = app.test_client()
        good = client.get("/__ops_test/link", headers={"Host": "shop.example.com"})
        assert good.get_data(as_text=True) == "http://shop.example.com/"
        forged = client.get("/__ops_test/link", headers={"Host": "evil.example.net"})
        assert forged.status_code == 400
        assert "evil.example.net" not in forged.get_data(as_text=True)
        assert_hardened(forged)
        assert client.get("/", headers={"Host": "evil.example.net"}).status_code == 400
    finally:
        dispose(app)


def test_session_cookie_flags(client, db):
    UserFactory()
    response = client.get("/account/login")
    cookie = response.headers.get("Set-Cookie", "")
    if cookie:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.fixture()
def prod_env(monkeypatch):
    monkeypatch.setenv("SHOP_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("SHOP_SECURITY_PASSWORD_SALT", "a-real-random-salt-value")
    monkeypatch.setenv("SHOP_SECURITY_TOTP_SECRETS", '{"1": "a-real-totp-secret"}')
    monkeypatch.setenv("SHOP_DATABASE_URL", "postgresql://shop@db.internal/shop")
    monkeypatch.setenv("SHOP_TRUSTED_HOSTS", '["shop.example.com"]')
    monkeypatch.setenv("SHOP_PUBLIC_URL", "https://shop.example.com")
    return monkeypatch


def test_production_has_secure_defaults(prod_env):
    app = create_app("production")
    assert app.debug is False
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PREFERRED_URL_SCHEME"] == "https"
    assert app.config["TRUSTED_HOSTS"] == ["shop.example.com"]
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    # Dead connections are replaced at checkout by shop/core/pool.py, not a ping per request.
    assert not options.get("pool_pre_ping") and app.config["DB_PING_AFTER_IDLE"] > 0
    assert options["pool_size"] >= 1 and "max_overflow" in options


def test_a_ping_interval_that_is_not_seconds_stops_the_start(prod_env):
    for bad in ("soon", "-1", "nan"):
        prod_env.setenv("SHOP_DB_PING_AFTER_IDLE", bad)
        with pytest.raises(RuntimeError, match="SHOP_DB_PING_AFTER_IDLE must be a number"):
            create_app("production")


def test_production_refuses_debug(prod_env):
    prod_env.setenv("SHOP_DEBUG", "true")
    with pytest.raises(ConfigError, match="DEBUG"):
        create_app("production")


def test_production_refuses_to_run_without_trusted_hosts(prod_env):
    prod_env.delenv("SHOP_TRUSTED_HOSTS")
    with pytest.raises(ConfigError, match="SHOP_TRUSTED_HOSTS"):
        create_app("production")


def test_back_office_pages_run_no_script_without_the_nonce(app, client, db, monkeypatch):
    """Every back-office page: inline scripts carry this response's nonce, and Flask-Admin's
    inline event handlers are allowed by their exact hash."""
    monkeypatch.setitem(app.config, "STAFF_TWO_FACTOR_REQUIRED", False)
    user = UserFactory(roles=["admin", "manager", "warehouse"])
    with client.session_transaction() as session:
        session["_user_id"] = user.fs_uniquifier
        session["_fresh"] = True
    urls = sorted({view.url for view in app.extensions["shop_admin"]._views})
    checked = 0
    for url in urls:
        response = client.get(url + "/" if not url.endswith("/") else url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        checked += 1
        assert_hardened(response, admin=True)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
        body = response.get_data(as_text=True)
        for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body):
            assert f'nonce="{nonce}"' in tag, (url, tag)
        policy = response.headers["Content-Security-Policy"]
        for handler in re.findall(r"\son[a-z]+=\"([^\"]*)\"", body):
            digest = base64.b64encode(
                hashlib.sha256(html.unescape(handler).encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy, (url, handler)
    assert checked, "no back-office page could be opened"


def test_only_known_admin_handlers_are_allowed():
    from flask import Response

    from shop.ops.security import allow_admin_handlers

    page = (
        '<a onclick="return modelActions.execute(&#39;delete&#39;);">x</a>'
        '<button onclick="return faHelpers.safeConfirm(\'Удалить?\');">y</button>'
        '<img onerror="fetch(\'//evil.example\')">'
    )
    response = Response(page, mimetype="text/html")
    response.headers["Content-Security-Policy"] = "default-src 'self'; script-src 'self'"
    allow_admin_handlers(response)
    policy = response.headers["Content-Security-Policy"]
    assert policy.count("'sha256-") == 2
    assert "'unsafe-hashes'" in policy
    evil = base64.b64encode(hashlib.sha256(b"fetch('//evil.example')").digest()).decode()
    assert evil not in policy


@pytest.mark.parametrize(
    "public_url",
    [None, "http://127.0.0.1:8000", "https://localhost", "shop.example.com",
     "https://shop@evil.example", "ftp://shop.example.com"],
)
def test_production_refuses_to_run_without_a_public_url(prod_env, public_url):
    """Links in emails are built from it: the default (the demo's listener) would mail
    customers links to 127.0.0.1."""
    if public_url is None:
        prod_env.delenv("SHOP_PUBLIC_URL")
    else:
        prod_env.setenv("SHOP_PUBLIC_URL", public_url)
    with pytest.raises(ConfigError, match="SHOP_PUBLIC_URL"):
        create_app("production")
