"""ORM hooks on the app's own session, never on SQLAlchemy's `Session` class.

`db.session` is a scoped_session; SQLAlchemy registers a listener given it on the class its
sessionmaker made for it, so only the app's sessions run the hook, not a session a script or a
library opens on the same engine. Every app of the process shares `db.session`, so a hook is
registered once however many apps are built (tests build several).
"""

from sqlalchemy import event

from shop.extensions import db


def listen_on_app_session(*hooks) -> None:
    """Register each (event name, function) pair on `db.session`, unless it already is."""
    for name, hook in hooks:
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)
