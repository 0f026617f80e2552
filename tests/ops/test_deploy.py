"""deploy/: the nginx site passes `nginx -t`; the units and env example agree with the code."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def nginx_main_conf(folder: Path, user: str = "") -> Path:
    """An nginx.conf in `folder` that serves `folder/lavka.conf` (the site) with every path of
    its own there; `user` is a `user ...;` line when needed."""
    shutil.copy("/etc/nginx/uwsgi_params", folder / "uwsgi_params")
    conf = folder / "nginx.conf"
    conf.write_text(f"""
{user}
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/lavka.conf;
}}
""")
    return conf


def _self_signed(folder: Path):
    openssl = shutil.which("openssl")
    if not openssl:
        pytest.skip("openssl is missing (Debian's openssl package): cannot make a test certificate")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=shop.example.com", "-keyout", str(folder / "privkey.pem"),
         "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True,
    )


@pytest.mark.skipif(NGINX is None, reason="nginx is missing: `make test` installs Debian's nginx")
def test_nginx_site_passes_nginx_t(tmp_path):
    _self_signed(tmp_path)
    site = (DEPLOY / "nginx" / "lavka.conf").read_text()
    site = site.replace("/etc/ssl/lavka/", f"{tmp_path}/")
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    site = site.replace("/var/lib/nginx/", f"{tmp_path}/")  # the micro-cache's folder
    (tmp_path / "lavka.conf").write_text(site)
    nginx_main_conf(tmp_path)
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "error.log")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_site_matches_the_app():
    site = (DEPLOY / "nginx" / "lavka.conf").read_text()
    # uploads: the same ceiling as MAX_CONTENT_LENGTH (16 MiB)
    from config.default import DefaultConfig

    assert DefaultConfig.MAX_CONTENT_LENGTH == 16 * 1024 * 1024
    assert "client_max_body_size 16m;" in site
    assert "location = /metrics { return 404; }" in site
    assert "HTTP_X_REQUEST_ID $request_id" in site
    assert "alias /srv/lavka/shop/static/;" in site


def test_systemd_units_point_at_real_commands():
    service = (DEPLOY / "systemd" / "lavka.service").read_text()
    assert "uwsgi --ini /srv/lavka/uwsgi.ini" in service
    assert "KillSignal=SIGTERM" in service
    # the unit waits longer than uWSGI's mercy for requests in flight
    mercy = int(re.search(r"^worker-reload-mercy = (\d+)", (ROOT / "uwsgi.ini").read_text(),
                          re.M).group(1))
    assert int(re.search(r"TimeoutStopSec=(\d+)", service).group(1)) > mercy
    for unit in ("lavka-expire.service", "lavka-mail.service", "lavka-backup.service"):
        text = (DEPLOY / "systemd" / unit).read_text()
        assert "manage.py" in text and "EnvironmentFile=/etc/lavka/lavka.env" in text


def test_env_example_starts_a_production_app(monkeypatch):
    """Every SHOP_ line of deploy/lavka.env.example is accepted by the production config."""
    from shop import create_app

    for line in (DEPLOY / "lavka.env.example").read_text().splitlines():
        if line.startswith("SHOP_"):
            key, value = line.split("=", 1)
            if value.startswith("'") and value.endswith("'"):  # as sh and systemd read it
                value = value[1:-1]
            monkeypatch.setenv(key, value)
    # the example's placeholders are long enough to pass; a real deployment replaces them
    monkeypatch.setenv("SHOP_SECRET_KEY", "y" * 64)
    app = create_app("production")
    assert app.config["TRUSTED_HOSTS"] == ["shop.example.com", "localhost", "127.0.0.1"]
    assert app.config["PROXY_COUNT"] == 1
    assert app.config["METRICS_TOKEN"]
    assert app.config["SECURITY_TOTP_SECRETS"] == {"1": "change-me-to-a-third-random-value"}
    client = app.test_client()
    app.config["METRICS_TOKEN"] = None  # the allowed networks alone let localhost in
    assert client.get("/metrics", headers={"Host": "localhost"}).status_code == 200
