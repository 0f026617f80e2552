"""Flask-Security's emails go to the outbox, rendered in the recipient's language.

Flask-Security renders its own templates in the language of the request and hands the result
to `MailUtil.send_mail`. We ignore that rendering and render `emails/account/<name>` with the
recipient's saved language (User.locale) instead, then add an OutboxMessage to the session.
Flask-Security commits the session after its views; for views that would not commit (password
reset request, confirmation resend) we ask for the same commit after the request, so the mail is
written together with whatever caused it, or not at all.
"""

from flask import after_this_request, has_request_context
from flask_security.mail_util import MailUtil
from jinja2 import TemplateNotFound

from shop.core.i18n import current_language
from shop.core.urls import public_link
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from shop.notifications.outbox import queue_email


def _commit_after_request(response):
    db.session.commit()
    return response


class OutboxMailUtil(MailUtil):
    def send_mail(self, template, subject, recipient, sender, body, html, **kwargs):
        if isinstance(recipient, tuple):
            recipient = recipient[1]
        name = template.rsplit("/", 1)[-1]
        user = kwargs.get("user")
        locale = getattr(user, "locale", None) or current_language()
        # Links (reset, confirmation, change of email) were built from the request: moved onto
        # the configured public address, so no header a client sent can redirect them.
        context = {
            k: public_link(v)
            for k, v in kwargs.items()
            if k not in ("recipient", "template", "locale", "kind")
        }
        try:
            queue_email(
                str(recipient), f"account/{name}", locale, kind=f"account_{name}", **context
            )
        except TemplateNotFound:
            # A Flask-Security mail we have no template for: keep its own rendering.
            db.session.add(
                OutboxMessage(
                    recipient=str(recipient),
                    subject=str(subject),
                    body_text=body or "",
                    body_html=html,
                    locale=locale,
                    kind=f"account_{name}",
                )
            )
        if has_request_context():
            after_this_request(_commit_after_request)
