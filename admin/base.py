"""Access rules shared by every back-office view.

Anonymous visitors are sent to the login page; a logged-in user without a staff role gets 403.
Each view names the roles allowed on it, and the check runs for every request (GET and POST).
"""

from flask import abort, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from shop.accounts.models import STAFF_ROLES


class RoleRequired:
    """Mixin for Flask-Admin views: `allowed_roles` lists who may use the view."""

    allowed_roles: tuple[str, ...] = STAFF_ROLES

    def is_accessible(self):
        return (
            current_user.is_authenticated
            and current_user.active
            and any(current_user.has_role(r) for r in self.allowed_roles)
        )

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("security.login", next=request.full_path))
        abort(403)


class StaffIndexView(RoleRequired, AdminIndexView):
    @expose("/")
    def index(self):
        return self.render("admin/dashboard.html")
