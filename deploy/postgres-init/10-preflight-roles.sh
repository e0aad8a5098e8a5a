#!/bin/sh
# Preflight's database roles. The postgres image runs this once, as its superuser, when it starts on an empty data
# volume (docker-entrypoint-initdb.d); on a server of your own, run it the same way (POSTGRES_USER, POSTGRES_DB and
# the two passwords in the environment, PGHOST/PGPORT pointing at the server).
#
#   preflight_owner  logs in to migrate (DATABASE_MIGRATE_URL): owns the database, its schema and every table,
#                    so it alone can ALTER TABLE audit_log DISABLE TRIGGER.
#   preflight_app    no login: the app's privileges, granted by the migrations (on audit_log SELECT and INSERT only).
#   preflight        logs in as the app (DATABASE_URL), a member of preflight_app; owns nothing, creates nothing.
#
# No role here may create roles: under PostgreSQL 15 a CREATEROLE role could make itself a member of the owner.
set -eu
: "${PREFLIGHT_DB_OWNER_PASSWORD:?set PREFLIGHT_DB_OWNER_PASSWORD}"
: "${PREFLIGHT_DB_APP_PASSWORD:?set PREFLIGHT_DB_APP_PASSWORD}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" -v owner_password="$PREFLIGHT_DB_OWNER_PASSWORD" -v app_password="$PREFLIGHT_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE preflight_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE preflight_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE preflight LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password' IN ROLE preflight_app;

ALTER DATABASE :"db" OWNER TO preflight_owner;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO preflight_app;
-- The schema is the owner's (PostgreSQL 15 and later make it so through pg_database_owner); nobody else creates in it.
ALTER SCHEMA public OWNER TO preflight_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO preflight_app;
SQL
