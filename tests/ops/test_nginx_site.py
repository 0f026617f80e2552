"""The shipped nginx site (deploy/nginx/lavka.conf) in front of the app under uWSGI, for real.

`nginx -t` (tests/ops/test_deploy.py) checks the syntax only. Here the site runs as written,
with only its ports, certificate, paths and socket filled in for the test: every stylesheet,
script and image that the storefront and back-office pages link must load through it, and the
forwarded headers a client sends must not reach the app (issue 13: X-Forwarded-Prefix turned
password-reset links into links to an attacker's host; X-Forwarded-For on the plain listener
spoofed the client address).
"""

import http.client
import os
import re
import signal
import ssl
import subprocess
import sysconfig
import time
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
    }
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    site = re.sub(r"^\s*listen \[::\].*$", "", site, flags=re.M)  # no IPv6 here, maybe
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
            server.https_port = https_port
            yield server
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
