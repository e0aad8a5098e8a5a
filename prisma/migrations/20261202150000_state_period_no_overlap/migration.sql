-- One confirmed status at a time per component, enforced by the database: two periods of one component never
-- overlap (an exclusion constraint over [started_at, ended_at), an open period reaching to infinity), and a period
-- never ends before it starts or before its last check. The worker folds results into the state under a row lock
-- (lib/history/write-batch.ts), so these never fire in normal operation; they make a second writer's mistake an
-- error instead of a duplicate incident.
--
-- btree_gist gives GiST the "=" on text the constraint needs. It is a trusted extension (PostgreSQL 13 and later),
-- so the role that migrates may create it when it owns the database (deploy/postgres-init makes it so); anywhere
-- else a superuser creates it first, once, and this finds it there. The embedded PGlite loads it from its contrib
-- bundle (lib/db/embedded.ts).
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS btree_gist;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE EXCEPTION 'the extension btree_gist is missing and % may not create it', current_user
    USING HINT = 'as a superuser, run CREATE EXTENSION btree_gist; in this database, then migrate again';
END
$$;

-- Histories written before this migration by two workers tracking one component at once (a Redis outage) may hold
-- overlapping or inverted periods. Repair them so the constraints can hold: an open period that is not the latest
-- one is closed where the next one starts; each period then starts no earlier than every period before it
-- ended; periods left empty are dropped (they held no time); a closed period's last check is clamped to its end.
UPDATE "state_period" p SET "ended_at" = n.next_start
FROM (
  SELECT "id", lead("started_at") OVER (PARTITION BY "component_id" ORDER BY "started_at", "id") AS next_start
  FROM "state_period"
) n
WHERE p."id" = n."id" AND p."ended_at" IS NULL AND n.next_start IS NOT NULL;

UPDATE "state_period" p SET "started_at" = o.prev_end
FROM (
  SELECT "id", max(COALESCE("ended_at", 'infinity')) OVER (
    PARTITION BY "component_id" ORDER BY "started_at", "id" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
  ) AS prev_end
  FROM "state_period"
) o
WHERE p."id" = o."id" AND o.prev_end > p."started_at";

DELETE FROM "state_period" WHERE "ended_at" IS NOT NULL AND "ended_at" <= "started_at";

UPDATE "state_period" SET "last_seen_at" = "ended_at" WHERE "ended_at" IS NOT NULL AND "last_seen_at" > "ended_at";

ALTER TABLE "state_period" ADD CONSTRAINT "state_period_ends_after_start"
  CHECK ("ended_at" IS NULL OR ("ended_at" >= "started_at" AND "ended_at" >= "last_seen_at"));

-- The CASE never applies to a stored row (the CHECK keeps each in order): it is for the old versions of the rows
-- repaired above, which building the constraint's index in this same transaction still reads.
ALTER TABLE "state_period" ADD CONSTRAINT "state_period_no_overlap"
  EXCLUDE USING gist (
    "component_id" WITH =,
    tstzrange("started_at", CASE WHEN "ended_at" < "started_at" THEN "started_at" ELSE "ended_at" END) WITH &&
  );
