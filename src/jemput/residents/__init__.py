"""The registry: residents, NIK parsing, eligibility, KTP-el status history, SIAK import."""
