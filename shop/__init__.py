"""The shop: `create_app` is the composition root and nothing else.

Each `register_*` step imports what it wires inside the function ("# at build time" below):
this module is the `shop` package itself, which every module of the shop imports first (for
`shop.extensions` and the rest), so importing the features at its top would make each of them
import all the others before it is loaded itself.
"""

import os

from flask import Flask

from config import CONFIGS
from config.default import INSTANCE_DIR


def create_app(config_name: str | None = None, *, migrations: bool = True) -> Flask:
    """Build a configured app: settings, extensions, blueprints, back office, errors, CLI.

    `migrations=False` (the web workers, shop.wsgi): without the `db` commands, so a worker
    does not load Alembic (with Mako and Pygments: a hundred modules, some 10 MB a worker)
    that it never runs.
    """
    config_name = config_name or os.environ.get("SHOP_CONFIG", "development")
    if config_name not in CONFIGS:
        raise RuntimeError(
            f"Unknown SHOP_CONFIG {config_name!r}; choose one of: {', '.join(sorted(CONFIGS))}."
        )
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=False)
    configure(app, config_name)
    register_querycount(app)
    register_extensions(app, migrations)
    register_blueprints(app)
    register_admin(app)
    register_ops(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def configure(app: Flask, config_name: str) -> None:
    app.config.from_object(CONFIGS[config_name])
    app.config.from_prefixed_env("SHOP")
    app.config["SHOP_CONFIG"] = config_name
    if "SHOP_PUBLIC_URL" not in os.environ and os.environ.get("SHOP_HTTP"):
        # links in emails queued from the CLI point at the listener the demo really uses
        app.config["PUBLIC_URL"] = "http://" + os.environ["SHOP_HTTP"]
    app.config["DATABASE_URL"] = normalise_database_url(app.config.get("DATABASE_URL"))
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if app.config.get("REDIS_URL"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    app.config["DB_PING_AFTER_IDLE"] = _seconds(app.config, "DB_PING_AFTER_IDLE")
    if config_name == "production":
        # at build time (see the module's docstring)
        from config.production import ProductionConfig

        ProductionConfig.validate(app.config)
    if app.config.get("DATABASE_URL", "").startswith("sqlite:///"):
        os.makedirs(os.path.dirname(app.config["DATABASE_URL"][len("sqlite:///") :]), exist_ok=True)
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        # Only behind a configured proxy, and only on requests it marked, do X-Forwarded-*
        # headers mean anything (shop.core.net).
        from shop.core.net import TrustedProxyFix

        app.wsgi_app = TrustedProxyFix(app.wsgi_app, proxies)


def _seconds(config, key: str) -> float:
    """A setting that must be a number of seconds, 0 or more (SHOP_<key> in the environment)."""
    try:
        value = float(config[key])
    except (TypeError, ValueError):
        value = -1.0
    if not value >= 0:  # also refuses NaN
        raise RuntimeError(
            f"SHOP_{key} must be a number of seconds (0 or more), not {config[key]!r}."
        )
    return value


def normalise_database_url(url: str | None) -> str | None:
    """Accept plain postgresql:// URLs and use the psycopg 3 driver we ship."""
    if url and url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def register_querycount(app: Flask) -> None:
    # First, so its after_request runs last and counts the other hooks' queries too.
    from shop.ops.querycount import init_app

    init_app(app)


def register_extensions(app: Flask, migrations: bool = True) -> None:
    from flask_security import SQLAlchemyUserDatastore

    # at build time (see the module's docstring)
    from shop import models
    from shop.accounts.security import security_options
    from shop.core import cache as shared_cache
    from shop.core import session_cookie, templating
    from shop.core.i18n import select_locale, select_timezone
    from shop.extensions import (
        babel,
        bootstrap,
        compress,
        csrf,
        db,
        limiter,
        mail,
        security,
    )

    # First of the after_request hooks registered, so it runs last: it compresses what the
    # others (security headers) made of the response.
    compress.init_app(app)
    db.init_app(app)
    if migrations:
        from flask_migrate import Migrate

        Migrate(
            app, db, directory=os.path.join(app.root_path, "..", "migrations"),
            render_as_batch=True,
        )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    mail.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    datastore = SQLAlchemyUserDatastore(db, models.User, models.Role)
    security.init_app(app, datastore, **security_options())
    templating.init_app(app)
    shared_cache.init_app(app)  # Flask-Caching's backend, the catalogue version's hooks
    session_cookie.init_app(app)
    with app.app_context():
        if app.config.get("SQLALCHEMY_DATABASE_URI", "").startswith("sqlite"):
            # at build time (see the module's docstring)
            from shop.core.sqlite import enable_sqlite_pragmas

            enable_sqlite_pragmas(db.engine)
        else:
            # at build time (see the module's docstring)
            from shop.core.pool import install_checkout_ping

            install_checkout_ping(db.engine, app.config["DB_PING_AFTER_IDLE"])


def register_blueprints(app: Flask) -> None:
    """Every blueprint of the shop, then what each feature wires into the app besides."""
    # at build time (see the module's docstring)
    from shop import payments
    from shop.accounts import views as accounts
    from shop.cart import views as cart
    from shop.catalog import hooks as catalog_hooks
    from shop.catalog.views import bp as catalog_bp
    from shop.checkout.views import bp as checkout_bp
    from shop.core.views import bp as core_bp
    from shop.legal.views import bp as legal_bp
    from shop.ops.health import bp as health_bp
    from shop.ops.metrics import bp as metrics_bp
    from shop.orders.views import bp as orders_bp
    from shop.payments.views import bp as payments_bp
    from shop.returns.views import bp as returns_bp

    for blueprint in (
        core_bp,
        catalog_bp,
        accounts.bp,
        cart.bp,
        checkout_bp,
        orders_bp,
        payments_bp,
        returns_bp,
        legal_bp,
        health_bp,
        metrics_bp,
    ):
        app.register_blueprint(blueprint)
    accounts.init_app(app)  # forms, registration, limits and signals around Flask-Security
    cart.init_app(app)  # the header's mini-cart; a guest's cart merged at login
    payments.init_app(app)  # payments answer the orders layer's signals
    catalog_hooks.init_app(app)  # the catalogue's ORM hooks, on the app's session


def register_admin(app: Flask) -> None:
    # at build time (see the module's docstring)
    from admin import init_admin

    init_admin(app)


def register_ops(app: Flask) -> None:
    # After the back office, so its inline scripts get the CSP nonce.
    from shop.ops import init_app as init_ops

    init_ops(app)


def register_errorhandlers(app: Flask) -> None:
    # at build time (see the module's docstring)
    from shop.core.views import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    # at build time (see the module's docstring)
    from shop.cli import register_commands as register

    register(app)
