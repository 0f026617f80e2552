"""Audit log: who did what to which record in the back office, with before and after values."""
