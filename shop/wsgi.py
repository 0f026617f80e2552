"""WSGI entry point for uWSGI (`module = shop.wsgi:app`): the app without the migration
commands, which a web worker never runs (`python manage.py db ...` has them)."""

from shop import create_app

app = create_app(migrations=False)
