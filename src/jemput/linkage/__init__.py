"""Linking roster rows (schools, pesantren, voter lists) to residents with Splink."""
