"""Synthetic regency generator: Kabupaten Purworejo from a seed."""
