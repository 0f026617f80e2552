"""Fixtures for the ops tests."""

import logging

import pytest


@pytest.fixture(autouse=True)
def shop_loggers_enabled():
    """Alembic's fileConfig (run by the session's migration) disables every existing logger;
    these tests read the shop's log records, so they switch them back on."""
    names = ["shop", "shop.request", "shop.ops.health", "shop.ops.metrics", "shop.ops.logs"]
    loggers = [logging.getLogger(name) for name in names]
    saved = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = False
    yield
    for logger, disabled in zip(loggers, saved, strict=True):
        logger.disabled = disabled
