"""The shipped nginx site (deploy/nginx/lavka.conf) in front of the app under uWSGI, for real.

`nginx -t` (tests/ops/test_deploy.py) checks the syntax only. Here the site runs as written,
with only its ports, certificate, paths and socket filled in for the test: every stylesheet,
script and image that the storefront and back-office pages link must load through it, and the
forwarded headers a client sends must not reach the app (issue 13: X-Forwarded-Prefix turned
password-reset links into links to an attacker's host; X-Forwarded-For on the plain listener
spoofed the client address). Its micro-cache keeps catalogue pages read without cookies for a
few seconds and nothing of anyone's own (issue 16.3).
"""

import http.client
import os
import re
import signal
import ssl
import subprocess
import sysconfig
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.ops.test_deploy import NGINX, _self_signed, nginx_main_conf
from tests.uwsgi_server import ROOT, free_port, serve_shop, shop_database

pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is missing: `make test` installs Debian's nginx"
)

HOST = "shop.example.com"
ADMIN = ("admin@example.com", "nginx-admin-password-1")
TYPES = {
    "stylesheet": ("text/css",),
    "script": ("application/javascript", "text/javascript"),
    "image": ("image/",),
}


class Assets(HTMLParser):
    """Stylesheets, scripts, images and links of a page."""

    def __init__(self):
        super().__init__()
        self.found = []  # (kind, url)
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "") and attrs.get("href"):
            self.found.append(("stylesheet", attrs["href"]))
        elif tag == "link" and "icon" in (attrs.get("rel") or "") and attrs.get("href"):
            self.found.append(("image", attrs["href"]))
        elif tag == "script" and attrs.get("src"):
            self.found.append(("script", attrs["src"]))
        elif tag in ("img", "source") and (attrs.get("src") or attrs.get("srcset")):
            for part in (attrs.get("src") or attrs.get("srcset")).split(","):
                url = part.strip().split(" ")[0]
                if url and not url.startswith("data:"):
                    self.found.append(("image", url))
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def parse(html):
    parser = Assets()
    parser.feed(html)
    return parser


class Browser:
    """HTTPS to the nginx site on 127.0.0.1 with `Host: shop.example.com`, keeping cookies."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context,
                                           timeout=30)
        sent = {"Host": HOST, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, data

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields, headers=None):
        from urllib.parse import urlencode

        # as a browser does: Flask-WTF checks the referrer of a form posted over HTTPS
        sent = {"Referer": f"https://{HOST}{path}", **(headers or {})}
        return self.request("POST", path, body=urlencode(fields), headers=sent)


def csrf_of(html):
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def nginx_site(folder: Path, https_port: int, http_port: int, socket_path: Path) -> Path:
    _self_signed(folder)
    site = (ROOT / "deploy" / "nginx" / "lavka.conf").read_text()
    site_packages = sysconfig.get_paths()["purelib"]
    replacements = {
        "/etc/ssl/lavka/": f"{folder}/",
        "/var/log/nginx/": f"{folder}/",
        "unix:/run/lavka/uwsgi.sock": f"unix:{socket_path}",
        "/srv/lavka/.venv/lib/python3.11/site-packages/": f"{site_packages}/",
        "/srv/lavka/": f"{ROOT}/",
        "/var/www/letsencrypt": str(folder),
        "/var/lib/nginx/": f"{folder}/",
    }
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    site = re.sub(r"^\s*listen \[::\].*$", "", site, flags=re.M)  # no IPv6 here, maybe
    # Every request of the tests comes from 127.0.0.1, faster than one shopper could click:
    # the per-client budget would answer 503 to some of them.
    assert "rate=20r/s" in site
    site = site.replace("rate=20r/s", "rate=1000r/s")
    site = re.sub(r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl", site)
    site = re.sub(r"listen 80\b", f"listen 127.0.0.1:{http_port}", site)
    (folder / "lavka.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""  # to reach the socket (mode 660)
    return nginx_main_conf(folder, user)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    socket_path = folder / "uwsgi.sock"
    https_port, http_port = free_port(), free_port()
    env = {
        "SHOP_UWSGI_SOCKET": str(socket_path),
        "SHOP_PROXY_COUNT": "1",
        "SHOP_PUBLIC_URL": f"https://{HOST}",
        "SHOP_STAFF_TWO_FACTOR_REQUIRED": "false",
        "SHOP_METRICS_ALLOWED_NETWORKS": '["198.51.100.0/24"]',
    }
    with shop_database(tmp_path_factory, "nginx") as database_url, serve_shop(
        folder / "instance",
        database_url,
        processes=1,
        env_overrides=env,
        setup=[("create-admin", ADMIN[0], "--password", ADMIN[1])],
    ) as server:
        conf = nginx_site(folder, https_port, http_port, socket_path)
        with running_nginx(folder, conf, https_port):
            server.https_port = https_port
            yield server


@contextmanager
def running_nginx(folder: Path, conf: Path, https_port: int):
    """nginx with `conf` from `folder`, once its HTTPS port answers; stopped gracefully after."""
    proc = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log"),
         "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                Browser(https_port).get("/healthz")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "nginx did not start: " + (folder / "error.log").read_text()
                    ) from None
                time.sleep(0.2)
        yield proc
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def check_assets(browser, path, fetched):
    response, body = browser.get(path)
    assert response.status == 200, (path, response.status)
    page = parse(body.decode())
    assert page.found, f"{path} links no stylesheet, script or image"
    kinds = {kind for kind, _ in page.found}
    assert {"stylesheet", "script"} <= kinds, (path, page.found)
    for kind, url in page.found:
        assert url.startswith("/"), f"{path} loads {url} from elsewhere (no CDN)"
        if url in fetched:
            continue
        asset, data = browser.get(url)
        fetched.add(url)
        content_type = asset.headers.get("Content-Type", "")
        assert asset.status == 200, (path, url, asset.status)
        assert data, (path, url)
        assert content_type.startswith(TYPES[kind]), (path, url, content_type)
    return page


def test_pages_load_every_stylesheet_script_and_image_through_nginx(site):
    browser = Browser(site.https_port)
    fetched = set()
    home = check_assets(browser, "/", fetched)
    product = next(link for link in home.links if link.startswith("/product/"))
    check_assets(browser, product, fetched)
    category = next(link for link in home.links if link.startswith("/catalog/"))
    check_assets(browser, category, fetched)
    assert any(url.startswith("/bootstrap/static/") for url in fetched), fetched
    assert any(url.startswith("/static/") for url in fetched), fetched

    _, login_page = browser.get("/account/login")
    response, _ = browser.post(
        "/account/login",
        {"email": ADMIN[0], "password": ADMIN[1], "csrf_token": csrf_of(login_page.decode())},
    )
    assert response.status in (302, 303), response.status
    admin = check_assets(browser, "/admin/", fetched)
    assert any(url.startswith("/admin/static/") for url in fetched), fetched
    sections = sorted({link.split("?")[0] for link in admin.links
                       if link.startswith("/admin/") and link.count("/") == 3})
    assert len(sections) >= 3, admin.links
    for section in sections[:6]:
        check_assets(browser, section, fetched)


def outbox_links(server, recipient):
    engine = create_engine(server.database)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT body_text, body_html FROM outbox_message WHERE recipient = :r"),
                {"r": recipient},
            ).all()
    finally:
        engine.dispose()
    return rows


def test_forwarded_headers_from_clients_never_reach_reset_links(site):
    browser = Browser(site.https_port)
    _, page = browser.get("/account/reset")
    browser.post(
        "/account/reset",
        {"email": ADMIN[0], "csrf_token": csrf_of(page.decode())},
        headers={
            "X-Forwarded-Prefix": "@evil.example",
            "X-Forwarded-Host": "evil.example",
            "X-Forwarded-Proto": "http",
            "Forwarded": "host=evil.example",
        },
    )
    deadline = time.monotonic() + 10  # the mail may be written after the response
    while not (rows := outbox_links(site, ADMIN[0])) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert rows
    text_body = "".join((a or "") + (b or "") for a, b in rows)
    assert f"https://{HOST}/account/reset/" in text_body
    assert "evil" not in text_body


def test_spoofed_forwarded_for_is_not_believed_on_the_plain_listener(site):
    """SHOP_PROXY_COUNT=1, but the HTTP port is not the proxy: /metrics stays refused."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        site.url + "/metrics", headers={"X-Forwarded-For": "198.51.100.7"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - localhost
    refused.value.close()
    assert refused.value.code == 403


# --- The micro-cache ----------------------------------------------------------------------------


def stranger(site, path, method="GET"):
    """A reader without any cookie (a new browser each time): (response, body)."""
    return Browser(site.https_port).request(method, path)


def cache_status(response):
    return response.headers.get("X-Cache-Status")


def kept_on_a_later_read(site, path):
    """Read `path` as strangers until nginx answers from its cache (3 s: the second read, unless
    this machine is very slow); every answer the same page. Returns the statuses seen."""
    statuses, bodies = [], set()
    for _ in range(4):
        response, body = stranger(site, path)
        assert response.status == 200, (path, response.status)
        assert not response.headers.get_all("Set-Cookie"), path
        statuses.append(cache_status(response))
        bodies.add(body)
        if statuses[-1] == "HIT" and len(statuses) > 1:
            break
    assert statuses[-1] == "HIT", (path, statuses)
    assert len(bodies) == 1, path
    return statuses


def test_catalogue_pages_read_without_cookies_are_micro_cached(site):
    home = parse(stranger(site, "/")[1].decode())
    category = next(link for link in home.links if link.startswith("/catalog/"))
    for path in ("/", category, category + "?sort=price_asc", "/search?q=%D1%87%D0%B0%D0%B9"):
        statuses = kept_on_a_later_read(site, path)
        assert statuses[0] in ("MISS", "EXPIRED", "HIT"), statuses
    # Another language is another page, kept apart.
    for _ in range(2):
        english = Browser(site.https_port).get("/", headers={"Accept-Language": "en"})[1]
        assert '<html lang="en">' in english.decode()
        assert '<html lang="ru">' in stranger(site, "/")[1].decode()


def test_a_head_request_never_empties_the_page_for_a_get(site):
    path = "/search?q=head-then-get"
    head, _ = stranger(site, path, method="HEAD")
    assert head.status == 200
    for _ in range(2):
        response, body = stranger(site, path)
        assert response.status == 200 and b"</html>" in body


def test_a_reader_with_a_cookie_is_never_served_nor_stored(site):
    shopper = Browser(site.https_port)
    _, page = shopper.get("/")
    for product in (link for link in parse(page.decode()).links if link.startswith("/product/")):
        html = shopper.get(product)[1].decode()
        tags = re.findall(r'<input[^>]*name="variant_id"[^>]*>', html)
        chosen = [t for t in tags if 'type="hidden"' in t or " checked" in t]
        if chosen:
            break
    variant = re.search(r'value="(\d+)"', chosen[0]).group(1)
    response, _ = shopper.post(
        "/cart/add",
        {"csrf_token": csrf_of(html), "variant_id": variant, "quantity": "1"},
        headers={"Referer": f"https://{HOST}{product}"},
    )
    assert response.status in (302, 303), response.status
    assert "cart" in shopper.cookies
    # the header cart's spoken count ("Корзина, 1 товар"): 0 for a stranger
    badge = re.compile(r'data-testid="header-cart".*?<span class="visually-hidden">\D*(\d+)',
                       re.S)
    kept_on_a_later_read(site, "/")  # strangers have a kept home page now
    for _ in range(2):
        response, body = shopper.get("/")
        assert cache_status(response) == "BYPASS"
        assert badge.search(body.decode()).group(1) == "1"  # their own cart, never a stranger's
    # ...and the shopper's page was never stored for anyone else.
    for _ in range(2):
        response, body = stranger(site, "/")
        assert badge.search(body.decode()).group(1) == "0", cache_status(response)
    # Any cookie at all, or credentials, bypass the cache.
    for headers in ({"Cookie": "x=1"}, {"Authorization": "Bearer x"}):
        conn = Browser(site.https_port)
        response, _ = conn.get("/", headers=headers)
        assert cache_status(response) == "BYPASS", headers


def test_a_logged_in_page_is_never_anyone_elses(site):
    staff = Browser(site.https_port)
    _, login_page = staff.get("/account/login")
    token = csrf_of(login_page.decode())
    staff.post("/account/login", {"email": ADMIN[0], "password": ADMIN[1], "csrf_token": token})
    response, body = staff.get("/")
    assert cache_status(response) == "BYPASS" and ADMIN[0] in body.decode()
    assert response.headers.get("Cache-Control") == "private"
    for _ in range(3):
        _, body = stranger(site, "/")
        assert ADMIN[0] not in body.decode()


def test_a_response_that_sets_a_cookie_is_never_stored(site):
    """A product page starts the reader's session (its form's CSRF token): each stranger gets
    a session of their own, never the one nginx saw first."""
    _, page = stranger(site, "/")
    product = next(link for link in parse(page.decode()).links if link.startswith("/product/"))
    sessions = set()
    for _ in range(3):
        response, _ = stranger(site, product)
        assert response.status == 200
        assert cache_status(response) in ("MISS", "EXPIRED"), cache_status(response)
        cookies = response.headers.get_all("Set-Cookie") or []
        assert any(cookie.startswith("session=") for cookie in cookies)
        sessions.update(c for c in cookies if c.startswith("session="))
    assert len(sessions) == 3


@pytest.mark.parametrize(
    "path",
    ["/cart", "/account/login", "/checkout/", "/orders/view/x", "/admin/", "/healthz",
     "/catalog/x/y", "/media/products/320/none.jpg"],
)
def test_other_paths_always_reach_the_app(site, path):
    for _ in range(2):
        response, _ = stranger(site, path)
        assert cache_status(response) == "BYPASS", (path, response.status)


def test_posts_are_never_cached(site):
    for _ in range(2):
        response, _ = Browser(site.https_port).post("/search", {"q": "x"})
        assert cache_status(response) in (None, "BYPASS"), cache_status(response)
