"""Users, roles and scopes, sessions, API tokens and the audit log."""
