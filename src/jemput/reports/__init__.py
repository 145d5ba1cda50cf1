"""Dashboards' data, coverage figures, exports and roll-ups."""
