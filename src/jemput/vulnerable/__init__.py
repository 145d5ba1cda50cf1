"""Vulnerable residents: care profiles, incidents from earlier visits, and referrals."""
