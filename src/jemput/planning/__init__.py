"""Planning: from a campaign's people, places, teams and days to routes (see problem.py)."""
