"""Schools, madrasah, SLB and pesantren, and their student rosters (Dapodik "Daftar PD")."""
