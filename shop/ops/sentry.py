"""Optional error reporting to Sentry, on only when SHOP_SENTRY_DSN is set.

No personal data is sent (no cookies, no form bodies, no user emails): the request id and the
user id are enough to find the matching log lines.
"""

from flask import Flask


def init_app(app: Flask) -> bool:
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[FlaskIntegration()],
        environment=app.config.get("SHOP_CONFIG"),
        release=app.config.get("RELEASE"),
        send_default_pii=False,
        traces_sample_rate=float(app.config.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
    )

    @app.before_request
    def _tag_request():
        from flask import g

        sentry_sdk.set_tag("request_id", getattr(g, "request_id", None))

    return True
