"""The back office's reliances on library internals, each pinned so the upgrade that breaks
one fails here (as tests/core/test_library_internals.py does for the shop):

* Flask-Admin's sqla ModelView: `_apply_search` (overridden for Unicode-aware search) with
  `_search_fields` and `_apply_path_joins`; `InlineModelConverter.inline_field_list_type`
  (our fieldset sub-forms); the class names its form.js finds inline sub-forms by; the two
  generic messages a refused form used to show, which admin.base drops by their text.
* Flask: flashed messages are kept under the session key `_flashes`.
* Flask-Security: `flask_security.utils._config_value` reads RESET_PASSWORD_WITHIN for the
  staff invitation's "the link works for N hours".
"""

import inspect
from datetime import timedelta
from pathlib import Path


def test_flask_admin_search_hooks(app):
    from flask_admin.contrib.sqla import ModelView

    assert list(inspect.signature(ModelView._apply_search).parameters) == [
        "self",
        "query",
        "count_query",
        "joins",
        "count_joins",
        "search",
    ]
    assert list(inspect.signature(ModelView._apply_path_joins).parameters)[:5] == [
        "self",
        "query",
        "joins",
        "path",
        "inner_join",
    ]
    orders = next(v for v in app.extensions["shop_admin"]._views if v.endpoint == "admin_orders")
    assert orders._search_fields and all(len(pair) == 2 for pair in orders._search_fields)


def test_flask_admin_inline_list_hooks():
    import flask_admin
    from flask_admin.contrib.sqla.form import InlineModelConverter

    assert hasattr(InlineModelConverter, "inline_field_list_type")
    script = Path(flask_admin.__file__).parent / "static" / "admin" / "js" / "form.js"
    source = script.read_text(encoding="utf-8")
    for name in (
        "inline-field",
        "inline-field-list",
        "inline-field-template",
        "inline-remove-field",
    ):
        assert f".{name}" in source, name


def test_flask_admin_generic_failure_messages():
    from flask_admin.model import base

    source = inspect.getsource(base.BaseModelView)
    assert 'gettext("Failed to create record.")' in source
    assert 'gettext("Failed to save record.")' in source


def test_flask_keeps_flashes_under_its_session_key(app):
    from flask import flash, session

    with app.test_request_context("/"):
        flash("hello", "error")
        assert session["_flashes"] == [("error", "hello")]


def test_flask_security_reads_the_reset_link_lifetime(app):
    from flask_security.utils import _config_value

    with app.app_context():
        assert isinstance(_config_value("RESET_PASSWORD_WITHIN"), timedelta | str)
