"""Refunds by line and shoppers returns (issue 17.3): models, services, the storefront pages."""
