"""ORM hooks listen on the app's own session (`db.session`), registered by `init_app`: a
session opened on the same engine by anything else (a script, a library) runs none of them,
and saving a category or product is the caller's explicit call (shop.catalog.saving)."""

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shop.catalog import hooks as catalog_hooks
from shop.catalog.models import Category
from shop.extensions import db as _db
from shop.ops import metrics


def test_hooks_are_registered_on_the_app_session_not_on_sqlalchemys_session_class(app):
    hooks = [
        ("before_flush", catalog_hooks._save_what_callers_did_not),
        ("after_flush", catalog_hooks._keep_summaries_current),
        ("after_flush_postexec", catalog_hooks._expire_stale_summaries),
        ("after_flush", metrics._collect_after_flush),
        ("after_commit", metrics._count_after_commit),
        ("after_rollback", metrics._forget_after_rollback),
    ]
    for name, hook in hooks:
        assert event.contains(_db.session, name, hook), (name, hook.__name__)
        assert not event.contains(Session, name, hook), (name, hook.__name__)


def test_a_session_of_its_own_gets_no_slug_made_behind_its_back(db):
    with Session(bind=_db.engine) as session:
        session.add(Category(name_ru="Без имени в адресе"))
        with pytest.raises(IntegrityError):
            session.commit()
