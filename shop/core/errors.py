"""Domain errors: raised by services, turned into translated messages by views.

Each error carries a lazily translated message so the view needs no string of its own.
"""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    message = _l("This action could not be completed.")

    def __init__(self, message=None, **details):
        if message is not None:
            self.message = message
        self.details = details
        super().__init__(str(self.message))


class NotFound(DomainError):
    """The object does not exist or does not belong to the caller."""


class ValidationFailed(DomainError):
    """Input was well-formed but not acceptable."""
