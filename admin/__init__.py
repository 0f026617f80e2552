"""The back office (Flask-Admin), built per app inside the factory.

A module-level `Admin` breaks when tests create two apps (flask-admin #910, #2307), so
`init_admin` makes a new one every time.
"""

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from admin.base import StaffIndexView


def init_admin(app):
    admin = Admin(
        app,
        name=_l("Lavka back office"),
        index_view=StaffIndexView(name=_l("Dashboard"), url="/admin"),
        theme=Bootstrap4Theme(base_template="admin/shop_master.html"),
    )
    app.extensions["shop_admin"] = admin
    return admin
