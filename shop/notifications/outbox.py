"""Writing emails to the outbox.

`queue_email` renders an email in the recipient's language (its times in the shop's zone,
not in that of the staff member whose action sent it) and adds it to the current session:
it is committed together with the change that caused it (an order, a registration), or not at
all. A separate sender (`python manage.py mail send|worker`) delivers it later.
"""

from flask import render_template
from flask_babel import force_locale

from shop.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, shop_time
from shop.extensions import db
from shop.notifications.models import OutboxMessage


def queue_email(
    recipient: str, template: str, locale: str | None, kind: str | None = None, **context
) -> OutboxMessage:
    """Render `emails/<template>.subject.txt`, `.txt` and (if present) `.html`; add to outbox.

    No commit: the caller's service owns the transaction.
    """
    locale = locale if locale in LANGUAGES else DEFAULT_LANGUAGE
    with force_locale(locale), shop_time():
        subject = render_template(f"emails/{template}.subject.txt", **context).strip()
        body_text = render_template(f"emails/{template}.txt", **context)
        try:
            body_html = render_template(f"emails/{template}.html", **context)
        except Exception as exc:  # noqa: BLE001 - only a missing HTML part is expected here
            from jinja2 import TemplateNotFound

            if not isinstance(exc, TemplateNotFound):
                raise
            body_html = None
    message = OutboxMessage(
        recipient=recipient,
        subject=" ".join(subject.split()),
        body_text=body_text,
        body_html=body_html,
        locale=locale,
        kind=kind or template,
    )
    db.session.add(message)
    return message
