"""Jemput: jemput bola KTP-el outreach for a regency Disdukcapil."""

__version__ = "0.1.0"
