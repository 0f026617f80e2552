"""Two-factor codes are good once: the last accepted time step is remembered per user.

A TOTP code stays valid for its 30-second step (and the window Flask-Security allows around
it), so without memory one code seen over a shoulder, in a proxy log or by phishing logs in
again and again within that time. Flask-Security's `Totp` leaves replay protection to the
application through `get_last_counter`/`set_last_counter`: passlib refuses any code whose step
is not after the stored one. The step is stored with a guarded UPDATE (`... WHERE last < new`),
so two requests racing with the same code cannot both win: the second finds the row already
moved on (on PostgreSQL it waits for the first's row lock, then re-reads) and is refused.
"""

from flask_security import Totp
from passlib.exc import UsedTokenError
from sqlalchemy import or_, update

from shop.accounts.models import User
from shop.extensions import db


class ShopTotp(Totp):
    def get_last_counter(self, user):
        return getattr(user, "tf_totp_last_counter", None)

    def set_last_counter(self, user, tmatch):
        if getattr(user, "id", None) is None:
            return
        counter = int(tmatch.counter)
        moved = db.session.execute(
            update(User)
            .where(
                User.id == user.id,
                or_(User.tf_totp_last_counter.is_(None), User.tf_totp_last_counter < counter),
            )
            .values(tf_totp_last_counter=counter)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not moved:
            # Accepted by another request since this one read the user: a replay.
            raise UsedTokenError()
        # The UPDATE bypassed the ORM; keep the loaded object in step without a flush.
        from sqlalchemy.orm.attributes import set_committed_value

        set_committed_value(user, "tf_totp_last_counter", counter)
