-- The application's privileges, held by the NOLOGIN group role "preflight_app" that its login role is a member of,
-- so the app is never the owner of what it writes: the role that runs migrations owns the tables (and so it alone
-- can ALTER TABLE audit_log DISABLE TRIGGER). On audit_log the app may only SELECT and INSERT. Prisma queries the
-- public schema, so that is the schema named here.
--
-- The group is made here when the migrating role may create roles (a superuser: the tests, a demo on a superuser
-- connection, the embedded PGlite); otherwise it must exist already (deploy/postgres-init makes it for docker
-- compose), and without it nothing is granted: the app then runs as the owner, and says so when it starts.

-- The worker's day partitions of probe_result (lib/history/partitions.ts): creating a partition takes owning its
-- parent, and dropping one owning it, which the app does not. These two do it as their owner, for exactly those
-- tables: the name is made here from the day, and only a day partition of probe_result is ever dropped. Every name
-- is schema-qualified and the search path fixed, so a caller's objects (temporary ones included) cannot stand in.
CREATE FUNCTION "preflight_create_probe_partition"(day timestamptz) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  from_at timestamptz := date_trunc('day', day, 'UTC');
  part text := 'probe_result_p' || to_char(from_at AT TIME ZONE 'UTC', 'YYYYMMDD');
BEGIN
  IF to_regclass(format('public.%I', part)) IS NOT NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE format('CREATE TABLE public.%I PARTITION OF public.probe_result FOR VALUES FROM (%L) TO (%L)', part, from_at, from_at + interval '1 day');
  RETURN part;
END
$$;

CREATE FUNCTION "preflight_drop_probe_partition"(part text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF part IS NULL OR part !~ '^probe_result_p[0-9]{8}$' THEN
    RAISE EXCEPTION 'not a day partition of probe_result: %', part USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.inhparent = 'public.probe_result'::regclass AND n.nspname = 'public' AND c.relname = part
  ) THEN
    RETURN false;
  END IF;
  EXECUTE format('DROP TABLE public.%I', part);
  RETURN true;
END
$$;

REVOKE ALL ON FUNCTION "preflight_create_probe_partition"(timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION "preflight_drop_probe_partition"(text) FROM PUBLIC;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'preflight_app') THEN
    IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
      RAISE NOTICE 'role preflight_app does not exist and % may not create it: no app privileges granted (README: "The audit log''s owner and its anchor")', current_user;
      RETURN;
    END IF;
    BEGIN
      CREATE ROLE preflight_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- made meanwhile by the migration of another database on the same server
    END;
  END IF;

  GRANT USAGE ON SCHEMA public TO preflight_app;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO preflight_app;
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO preflight_app;
  GRANT EXECUTE ON FUNCTION "preflight_create_probe_partition"(timestamptz), "preflight_drop_probe_partition"(text) TO preflight_app;
  -- Tables and sequences that later migrations create (as this same role) get the same.
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO preflight_app;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO preflight_app;

  -- Append-only for the app beneath the trigger too: no UPDATE, DELETE or TRUNCATE, and it is not the owner.
  REVOKE ALL ON "audit_log" FROM preflight_app;
  GRANT SELECT, INSERT ON "audit_log" TO preflight_app;
  -- The app's start checks that every migration is applied: it reads the record, never writes it. (Absent where
  -- migrations are applied without one, as in the drift check's scratch database.)
  IF to_regclass('"_prisma_migrations"') IS NOT NULL THEN
    REVOKE ALL ON "_prisma_migrations" FROM preflight_app;
    GRANT SELECT ON "_prisma_migrations" TO preflight_app;
  END IF;
END
$$;
