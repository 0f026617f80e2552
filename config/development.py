"""Development: SQLite, debug toolbar-free, mail printed to the log."""

from config.default import DefaultConfig


class DevelopmentConfig(DefaultConfig):
    DEBUG = False  # uWSGI serves the demo; `flask run --debug` turns it on when wanted.
