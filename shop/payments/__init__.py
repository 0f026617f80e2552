"""Payments: provider interface, cash on delivery, the built-in test card gateway, webhooks."""
