"""Production: refuses to start with development secrets or an SQLite database."""

from config.default import DEV_PASSWORD_SALT, DEV_SECRET_KEY, DefaultConfig


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
        if config.get("DEBUG"):
            problems.append("DEBUG must be off in production")
        if config.get("TEST_GATEWAY_ENABLED") and not config.get("TEST_GATEWAY_SECRET"):
            problems.append("SHOP_TEST_GATEWAY_SECRET must be set when the test gateway is enabled")
        if problems:
            raise ConfigError("Refusing to start in production: " + "; ".join(problems) + ".")
