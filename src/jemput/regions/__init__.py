"""Kemendagri region codes, names and levels."""
