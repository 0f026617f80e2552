"""Shared building blocks: money, locale selection, translated fields, domain errors."""
