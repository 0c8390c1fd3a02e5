"""Organisations, users and their roles, and the two-factor login."""
