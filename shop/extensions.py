"""Flask extensions, created unbound and attached to an app in `create_app`.

Keeping them here (and not in the factory) lets every module import `db` or `limiter`
without importing the app, and lets tests build as many apps as they like.
"""

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_caching import Cache
from flask_limiter import Limiter
from flask_mailman import Mail
from flask_security import Security
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from shop.core.compress import ShopCompress
from shop.core.net import client_address

# Named constraints keep Alembic migrations deterministic, and let SQLite's batch mode
# drop or alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
babel = Babel()
mail = Mail()
security = Security()
bootstrap = Bootstrap5()
# Pages, CSS and JS compressed in the app (zstd, brotli or gzip, as the browser accepts), so
# the demo and a deployment without nginx send a tenth of the bytes.
compress = ShopCompress()
# Shared caches of catalogue data (shop.core.cache picks the backend: Redis or in-process).
# No Jinja extension: templates use cached_fragment, keyed on the catalogue version.
cache = Cache(with_jinja2_ext=False)
limiter = Limiter(key_func=client_address, default_limits=[])
