"""List filters whose names and options read well in both languages.

Flask-Admin names the filters it derives from a relationship after the related model's columns
("Category / Created At", "roles / Role / Name"), in English; these filters say what they do.
"""

from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from shop.accounts.models import ALL_ROLES, ROLE_LABELS, Role, User
from shop.catalog.models import Category
from shop.core.sql import contains_pattern


class _ChoiceFilter(BaseSQLAFilter):
    def operation(self):
        return _l("equals")

    def validate(self, value):
        return any(str(key) == value for key, _label in self.options or ())


class ParentCategoryFilter(BaseSQLAFilter):
    """Categories whose parent's Russian or English name contains the text typed."""

    def __init__(self):
        super().__init__(Category.parent_id, _l("Parent category"))

    def operation(self):
        return _l("contains")

    def validate(self, value):
        return 0 < len(value.strip()) <= 120

    def apply(self, query, value, alias=None):
        pattern = contains_pattern(value.strip())
        parent = aliased(Category)
        matching = select(parent.id).where(
            or_(
                parent.name_ru.ilike(pattern, escape="\\"),
                parent.name_en.ilike(pattern, escape="\\"),
            )
        )
        return query.filter(Category.parent_id.in_(matching))


class RoleFilter(_ChoiceFilter):
    def __init__(self):
        # lazy labels: Flask-Admin renders them in each request's language
        super().__init__(User.id, _l("Role"), options=[(n, ROLE_LABELS[n]) for n in ALL_ROLES])

    def apply(self, query, value, alias=None):
        return query.filter(User.roles.any(Role.name == value))
