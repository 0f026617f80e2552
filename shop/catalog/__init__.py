"""Catalogue: categories, products, variants and images; listing, search and product pages."""
