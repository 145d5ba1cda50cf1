"""Backup and restore: one encrypted file holds the registry and the files beside it."""
