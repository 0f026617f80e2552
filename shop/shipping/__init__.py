"""Shipping: delivery methods and what they cost for a given order amount."""
