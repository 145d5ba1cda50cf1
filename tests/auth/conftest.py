"""Auth tests use the shared personas and clients of tests/personas.py."""
