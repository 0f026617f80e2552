"""Accounts: users, roles, addresses, and the profile pages around Flask-Security-Too."""
