"""Inventory: the stock movement ledger and the services that reserve, release and adjust stock."""
