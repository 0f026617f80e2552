"""The factory and configuration: environments, SHOP_ overrides, production refusals."""

import pytest

from config.production import ConfigError
from shop import create_app, normalise_database_url
from shop.extensions import limiter

GOOD_SECRET = "x" * 40


@pytest.fixture(autouse=True)
def _limiter_left_as_found():
    """The Limiter is one object shared by every app of the process, and the last app built
    sets whether it is on: a production app built here would turn rate limits on for the
    rest of the run (tests/accounts then met 429s when run after tests/core)."""
    enabled = limiter.enabled
    yield
    limiter.enabled = enabled


@pytest.fixture()
def prod_env(monkeypatch):
    monkeypatch.setenv("SHOP_SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("SHOP_SECURITY_PASSWORD_SALT", "a-real-random-salt-value")
    monkeypatch.setenv("SHOP_DATABASE_URL", "postgresql://shop@db.internal/shop")
    monkeypatch.setenv("SHOP_TRUSTED_HOSTS", '["shop.example.com"]')
    monkeypatch.setenv("SHOP_PUBLIC_URL", "https://shop.example.com")
    monkeypatch.setenv("SHOP_SECURITY_TOTP_SECRETS", '{"1": "a-real-random-totp-secret"}')
    return monkeypatch


def test_environment_overrides_settings(monkeypatch, app):
    monkeypatch.setenv("SHOP_PRODUCTS_PER_PAGE", "12")
    monkeypatch.setenv("SHOP_DATABASE_URL", app.config["DATABASE_URL"])
    other = create_app("testing")
    assert other.config["PRODUCTS_PER_PAGE"] == 12
    assert other.config["SHOP_CONFIG"] == "testing"
    with other.app_context():
        from shop.extensions import db

        db.engine.dispose()


def test_unknown_config_name_is_refused():
    with pytest.raises(RuntimeError, match="Unknown SHOP_CONFIG"):
        create_app("staging")


def test_production_starts_with_real_settings(prod_env):
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["TEST_GATEWAY_ENABLED"] is False
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SHOP_SECRET_KEY", None, "SHOP_SECRET_KEY"),
        ("SHOP_SECRET_KEY", "dev-secret-key-not-for-production", "SHOP_SECRET_KEY"),
        ("SHOP_SECURITY_PASSWORD_SALT", None, "SHOP_SECURITY_PASSWORD_SALT"),
        ("SHOP_SECURITY_PASSWORD_SALT", "dev-password-salt-not-for-production", "SALT"),
        ("SHOP_DATABASE_URL", None, "SHOP_DATABASE_URL must be set"),
        ("SHOP_DATABASE_URL", "sqlite:////tmp/x.db", "SQLite"),
        ("SHOP_SECURITY_TOTP_SECRETS", None, "SHOP_SECURITY_TOTP_SECRETS"),
        (
            "SHOP_SECURITY_TOTP_SECRETS",
            '{"1": "dev-totp-secret-not-for-production"}',
            "SHOP_SECURITY_TOTP_SECRETS",
        ),
    ],
)
def test_production_refuses_unsafe_settings(prod_env, variable, value, message):
    if value is None:
        prod_env.delenv(variable)
    else:
        prod_env.setenv(variable, value)
    with pytest.raises(ConfigError, match=message):
        create_app("production")


def test_database_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"
