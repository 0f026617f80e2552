"""Production: refuses to start with development secrets or an SQLite database."""

import os
from urllib.parse import urlsplit

from config.default import DEV_PASSWORD_SALT, DEV_SECRET_KEY, DefaultConfig


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip().isdigit() else default


class ConfigError(RuntimeError):
    """Raised at start-up when the production configuration is unsafe."""


class ProductionConfig(DefaultConfig):
    SECRET_KEY = None
    SECURITY_PASSWORD_SALT = None
    DATABASE_URL = None
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    TEST_GATEWAY_ENABLED = False
    TEST_GATEWAY_SECRET = None
    MAIL_BACKEND = "smtp"
    LOG_JSON = True
    DEBUG = False
    PREFERRED_URL_SCHEME = "https"
    # Names this shop answers to (SHOP_TRUSTED_HOSTS='["shop.example.com"]'); any other Host
    # header gets 400, so a forged one never reaches a link in an email. Required.
    TRUSTED_HOSTS = None
    # One pool per uWSGI worker (lazy-apps): processes x (size + overflow) must stay below
    # PostgreSQL's max_connections. Connections dropped by a database restart are replaced at
    # checkout (DB_PING_AFTER_IDLE, shop/core/pool.py).
    SQLALCHEMY_ENGINE_OPTIONS = {
        "pool_size": _env_int("SHOP_DB_POOL_SIZE", 5),
        "max_overflow": _env_int("SHOP_DB_MAX_OVERFLOW", 5),
        "pool_timeout": _env_int("SHOP_DB_POOL_TIMEOUT", 10),
        "pool_recycle": _env_int("SHOP_DB_POOL_RECYCLE", 1800),
        "connect_args": {"connect_timeout": _env_int("SHOP_DB_CONNECT_TIMEOUT", 5)},
    }

    @staticmethod
    def validate(config):
        """Check the final (environment-overridden) settings; raise ConfigError when unsafe."""
        problems = []
        secret = config.get("SECRET_KEY")
        if not secret or secret == DEV_SECRET_KEY or len(str(secret)) < 32:
            problems.append(
                "SHOP_SECRET_KEY must be set to a random value of at least 32 characters"
            )
        salt = config.get("SECURITY_PASSWORD_SALT")
        if not salt or salt == DEV_PASSWORD_SALT:
            problems.append("SHOP_SECURITY_PASSWORD_SALT must be set to a random value")
        url = config.get("DATABASE_URL") or ""
        if not url:
            problems.append("SHOP_DATABASE_URL must be set (postgresql+psycopg://...)")
        elif url.startswith("sqlite"):
            problems.append("SHOP_DATABASE_URL points at SQLite; production needs PostgreSQL")
        totp_secrets = config.get("SECURITY_TOTP_SECRETS") or {}
        if not totp_secrets or any("not-for-production" in str(v) for v in totp_secrets.values()):
            problems.append('SHOP_SECURITY_TOTP_SECRETS must be set, e.g. {"1": "<random>"}')
        if not config.get("TRUSTED_HOSTS"):
            problems.append(
                'SHOP_TRUSTED_HOSTS must list the names the shop answers to, e.g. '
                '["shop.example.com"]'
            )
        public = str(config.get("PUBLIC_URL") or "")
        parts = urlsplit(public)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.hostname in ("127.0.0.1", "localhost")
            or parts.username is not None
            or parts.query
            or parts.fragment
        ):
            problems.append(
                "SHOP_PUBLIC_URL must be the shop's address as customers reach it, e.g. "
                "https://shop.example.com (links in emails are built from it)"
            )
        if config.get("DEBUG"):
            problems.append("DEBUG must be off in production")
        if bool(config.get("YOOKASSA_SHOP_ID")) != bool(config.get("YOOKASSA_SECRET_KEY")):
            problems.append(
                "SHOP_YOOKASSA_SHOP_ID and SHOP_YOOKASSA_SECRET_KEY must be set together (or "
                "neither): with one of them YooKassa would stay off without a word"
            )
        if config.get("TAX_SYSTEM_CODE") not in (None, "", 1, 2, 3, 4, 5, 6):
            problems.append("SHOP_TAX_SYSTEM_CODE must be one of 1-6 (YooKassa's tax_system_code)")
        if config.get("TEST_GATEWAY_ENABLED") and not config.get("TEST_GATEWAY_SECRET"):
            problems.append("SHOP_TEST_GATEWAY_SECRET must be set when the test gateway is enabled")
        if problems:
            raise ConfigError("Refusing to start in production: " + "; ".join(problems) + ".")
