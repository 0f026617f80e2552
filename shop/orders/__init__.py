"""Orders: the order record, its snapshot lines, status machine and the shopper's order pages."""
