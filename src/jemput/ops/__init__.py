"""Running Jemput in an office: `jemput check`, /metrics, and moving to PostgreSQL."""
