"""Safe defaults shared by every environment.

Nothing secret lives here: development values are marked as such so that the production
config can refuse them.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("SHOP_INSTANCE_PATH", BASE_DIR / "instance"))

# Values that must never reach production; production.py checks against this set.
DEV_SECRET_KEY = "dev-secret-key-not-for-production"
DEV_PASSWORD_SALT = "dev-password-salt-not-for-production"


class DefaultConfig:
    SHOP_NAME = "Лавка"
    SECRET_KEY = DEV_SECRET_KEY
    SECURITY_PASSWORD_SALT = DEV_PASSWORD_SALT

    # Database: SQLite under instance/ unless SHOP_DATABASE_URL says otherwise.
    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'shop.db'}"
    SQLALCHEMY_ENGINE_OPTIONS = {}
    # A pooled PostgreSQL connection is pinged at checkout only when it sat idle longer than
    # this (seconds) or the server has written to it (shop/core/pool.py); 0 pings every time.
    DB_PING_AFTER_IDLE = 10
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    REDIS_URL = None

    # Where uploaded and generated images live: outside the code tree.
    MEDIA_ROOT = str(INSTANCE_DIR / "media")

    # Locale and money.
    LANGUAGES = ("ru", "en")
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Europe/Moscow"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    CURRENCY = "RUB"

    # Static assets are served from the packages, never from a CDN.
    BOOTSTRAP_SERVE_LOCAL = True
    # Static URLs carry a content hash (?v=...), so browsers may keep them for a year.
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600

    # Forms.
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    # Sessions and cookies.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600  # "remember me" lasts 30 days (seconds)

    # Flask-Security-Too.
    SECURITY_PASSWORD_HASH = "argon2"
    SECURITY_PASSWORD_LENGTH_MIN = 8
    SECURITY_PASSWORD_LENGTH_MAX = 128  # enforced by shop.accounts.passwords
    SECURITY_REGISTERABLE = True
    # The welcome mail (with the confirmation link) and the "you already have an account" one
    # are written by shop.accounts.services after the response, not by Flask-Security during it.
    SECURITY_SEND_REGISTER_EMAIL = False
    SECURITY_CONFIRMABLE = True
    SECURITY_LOGIN_WITHOUT_CONFIRMATION = True  # unconfirmed shoppers may shop, and are reminded
    SECURITY_AUTO_LOGIN_AFTER_CONFIRM = False
    SECURITY_RECOVERABLE = True
    SECURITY_CHANGEABLE = True
    SECURITY_CHANGE_EMAIL = True
    SECURITY_TRACKABLE = True
    SECURITY_EMAIL_HTML = True
    # Two-factor: TOTP for everyone who wants it, required for staff (see User.check_tf_required).
    SECURITY_TWO_FACTOR = True
    SECURITY_TWO_FACTOR_ENABLED_METHODS = ["authenticator"]
    SECURITY_TWO_FACTOR_REQUIRED = False
    SECURITY_TWO_FACTOR_RESCUE_EMAIL = False
    SECURITY_MULTI_FACTOR_RECOVERY_CODES = True
    SECURITY_MULTI_FACTOR_RECOVERY_CODES_N = 8
    SECURITY_TOTP_ISSUER = "Lavka"
    # Encrypts the TOTP secrets stored per user; production.py refuses this development value.
    SECURITY_TOTP_SECRETS = {"1": "dev-totp-secret-not-for-production"}
    # Registering never signs in (an address in use must look the same): the new shopper logs in.
    SECURITY_POST_REGISTER_VIEW = "/account/login"
    SECURITY_POST_CHANGE_VIEW = "/account/profile"
    SECURITY_POST_CHANGE_EMAIL_VIEW = "/account/profile"
    SECURITY_POST_RESET_VIEW = "/account/login"
    SECURITY_POST_CONFIRM_VIEW = "/account/login"
    SECURITY_EMAIL_VALIDATOR_ARGS = {"check_deliverability": False}
    # Staff land in the back office, shoppers in the shop; right after a two-factor set-up,
    # on their recovery codes (shop.accounts.views.start).
    SECURITY_POST_LOGIN_VIEW = "/account/start"
    SECURITY_TWO_FACTOR_POST_SETUP_VIEW = "/account/start"
    SECURITY_POST_LOGOUT_VIEW = "/"
    SECURITY_LOGOUT_METHODS = ["POST"]
    SECURITY_URL_PREFIX = "/account"
    SECURITY_RETURN_GENERIC_RESPONSES = True
    SECURITY_I18N_DIRNAME = ["builtin", str(BASE_DIR / "translations")]
    SECURITY_MSG_LOGIN = ("Please log in to access this page.", "info")

    # Flask-Admin: the Bootstrap 4 theme, with our own brand.
    FLASK_ADMIN_SWATCH = "default"

    # Rate limits (memory unless SHOP_REDIS_URL is set).
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: count per worker in memory (the same limits) instead of failing every limited
    # request, logins included; Flask-Limiter tries Redis again now and then. Redis must answer
    # within these seconds, or it counts as down (unset, a lost host would hang the request).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    # Account flows (login, register, reset, two-factor, confirmation resend), on POST only.
    ACCOUNT_RATE_LIMIT_PER_IP = "20 per minute;200 per hour"
    ACCOUNT_RATE_LIMIT_PER_ACCOUNT = "5 per minute;30 per hour"

    # Mail goes through the outbox; in development it is printed to the log.
    MAIL_BACKEND = "console"
    MAIL_DEFAULT_SENDER = "shop@localhost"
    OUTBOX_MAX_ATTEMPTS = 8  # then the message is marked failed and left for a person
    OUTBOX_BACKOFF_SECONDS = 60  # doubled after every failed attempt, capped at 6 hours
    OUTBOX_BATCH_SIZE = 50
    # Where staff hear of new return requests (SHOP_STAFF_EMAIL), in the shop's default
    # language; None: every active manager and admin, each in their own language.
    STAFF_EMAIL = None

    # Staff must set up two-factor authentication before the back office opens.
    STAFF_TWO_FACTOR_REQUIRED = True

    # Returns: a shopper may ask to return goods this many days after delivery (the day of
    # delivery not counted; goods of proper quality: 7 days by Russian law).
    RETURN_DAYS = 7

    # Catalogue listing.
    PRODUCTS_PER_PAGE = 24
    # New arrivals (/new and the home page's shelf): products added in this many days.
    NEW_ARRIVALS_DAYS = 30
    # Back office: variants with at most this many units are listed as running low.
    LOW_STOCK_THRESHOLD = 5

    # Payments.
    TEST_GATEWAY_ENABLED = True
    TEST_GATEWAY_SECRET = "dev-test-gateway-secret"
    CARD_ORDER_TTL_MINUTES = 30
    # YooKassa (docs/payments.md): with both the shop id and the secret key set, checkout offers
    # a bank card and СБП through it. SHOP_YOOKASSA_API_URL points tests and staging elsewhere.
    YOOKASSA_SHOP_ID = None
    YOOKASSA_SECRET_KEY = None
    YOOKASSA_API_URL = "https://api.yookassa.ru/v3"
    # SberPay through YooKassa too, for a shop whose YooKassa contract has it
    # (SHOP_YOOKASSA_SBERPAY=true).
    YOOKASSA_SBERPAY = False
    # Where YooKassa sends notifications from (its published list); anything else gets 403.
    # SHOP_YOOKASSA_NOTIFY_NETWORKS takes a JSON list or a comma-separated string.
    YOOKASSA_NOTIFY_NETWORKS = (
        "185.71.76.0/27",
        "185.71.77.0/27",
        "77.75.153.0/25",
        "77.75.156.11",
        "77.75.156.35",
        "77.75.154.128/25",
        "2a02:5180::/32",
    )
    # Seconds to wait for YooKassa: to connect, and for an answer (creating a payment or a
    # refund, reading a payment back for a notification or for reconciliation).
    YOOKASSA_CONNECT_TIMEOUT = 5
    YOOKASSA_TIMEOUT = 15
    # The order page the shopper comes back to asks YooKassa too, but never waits long: past
    # this it says the payment is being confirmed and the notification settles it.
    YOOKASSA_RETURN_TIMEOUT = 2
    # YooKassa's tax_system_code (1-6: 1 general, 2 simplified on income, 3 simplified on income
    # less expenses, 4 ENVD, 5 ESKhN, 6 patent), sent with every receipt when set; needed only by
    # a shop registered with several tax systems (YooKassa takes the shop's own otherwise).
    TAX_SYSTEM_CODE = None
    # The shop's address seen from outside: links in emails queued without a request (CLI).
    PUBLIC_URL = "http://127.0.0.1:8000"

    # Operations.
    PROXY_COUNT = 0
    METRICS_TOKEN = None
    SENTRY_DSN = None
    LOG_JSON = False
    # The benchmark: an X-Query-Count header on every response (SHOP_BENCH_COUNT_QUERIES=1).
    BENCH_COUNT_QUERIES = False
    # Shared catalogue data (menu, filter options, counts, product cards) kept through
    # Flask-Caching: in Redis when REDIS_URL is set, else in each worker's memory; dropped by
    # the commit that changes the catalogue (shop/core/cache.py).
    CACHE_KEY_PREFIX = "lavka:"  # Redis keys; give each shop sharing one Redis its own
    # Seconds before a kept value is forgotten anyway: frees the memory of old catalogue
    # versions (nothing waits for it to see a change).
    CACHE_DEFAULT_TIMEOUT = 600
    # Values kept per worker (without Redis; with it, the copies of what it read): a product
    # card takes ~0.35 KB with its key (compressed against the cards' shared markup); the
    # orders of listings and searches a few KB each. 10,000 values take a few MB.
    CACHE_THRESHOLD = 10000
    # Compiled templates as bytecode under instance/jinja-cache (not in debug or testing).
    JINJA_BYTECODE_CACHE = True
