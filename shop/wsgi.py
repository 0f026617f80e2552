"""WSGI entry point for uWSGI (`module = shop.wsgi:app`)."""

from shop import create_app

app = create_app()
