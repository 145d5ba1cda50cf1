-- Jemput's PostgreSQL role and database, idempotent: run by deploy/install-debian (as the
-- postgres superuser) and by deploy/ci-check-install. Variables: role, db; the password
-- comes from the environment (JEMPUT_DB_PASSWORD), never from the command line where
-- every local user could read it in `ps`.
\set ON_ERROR_STOP on
\getenv password JEMPUT_DB_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
-- Every run sets the password from the env file, so the two can never drift apart.
-- Stored as a SCRAM hash (PostgreSQL's default password_encryption since 14).
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
-- Owned by Jemput's role: migrations create its tables in the public schema, which
-- PostgreSQL 15+ lets only the database owner write.
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'role', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
