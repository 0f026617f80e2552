"""Operations: health and readiness probes, Prometheus metrics, JSON request logs with a
request id, security headers and trusted hosts, no-store on private pages, optional Sentry,
backup and restore commands.

`init_app(app)` wires all of it into one app (its two blueprints, health and metrics, are
registered with the others in `create_app`'s `register_blueprints`).
"""

from shop.ops import backup, logs, metrics, nostore, security, sentry


def init_app(app):
    logs.init_app(app)
    sentry.init_app(app)
    security.init_app(app)
    nostore.init_app(app)
    metrics.init_app(app)
    backup.register_commands(app)
