"""Operations: health and readiness probes, Prometheus metrics, JSON request logs with a
request id, security headers and trusted hosts, no-store on private pages, optional Sentry,
backup and restore commands.

`init_app(app)` wires all of it into one app; the composition root calls it once.
"""


def init_app(app):
    from shop.ops import backup, health, logs, metrics, nostore, security, sentry

    logs.init_app(app)
    sentry.init_app(app)
    security.init_app(app)
    nostore.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(metrics.bp)
    backup.register_commands(app)
