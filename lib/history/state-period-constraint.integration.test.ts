import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../db/embedded";
import { migrateDatabase } from "../db/migrate";
import { MIGRATIONS_DIR, TEST_POSTGRES_URL } from "../testing/database";

// The state history's constraints (migration 20261202150000_state_period_no_overlap) on the real PostgreSQL server
// and on the embedded PGlite: btree_gist is created on both, an overlapping or inverted period is refused, and a
// history written before the migration by two workers at once (overlapping, inverted, two open periods) is repaired
// so that the constraints can hold.

const MIGRATION = "20261202150000_state_period_no_overlap";
const T = (s: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, s)).toISOString();

/** The migrations before this one, as a database written by the previous version has them. */
function migrationsBefore(): string {
  const dir = mkdtempSync(join(tmpdir(), "pf-migrations-"));
  for (const name of readdirSync(MIGRATIONS_DIR))
    if (name < MIGRATION) cpSync(join(MIGRATIONS_DIR, name), join(dir, name), { recursive: true });
  return dir;
}

type Row = { component_id: string; status: string; started_at: Date; last_seen_at: Date; ended_at: Date | null };

async function insert(
  client: pg.Client,
  c: string,
  status: string,
  start: number,
  lastSeen: number,
  end: number | null,
) {
  await client.query(
    `INSERT INTO "state_period" ("component_id", "status", "started_at", "last_seen_at", "ended_at", "interval_ms") VALUES ($1, $2, $3, $4, $5, 1000)`,
    [c, status, T(start), T(lastSeen), end === null ? null : T(end)],
  );
}

function expectConsistent(rows: Row[]) {
  const byComponent = new Map<string, Row[]>();
  for (const row of rows) byComponent.set(row.component_id, [...(byComponent.get(row.component_id) ?? []), row]);
  for (const periods of byComponent.values()) {
    periods.sort((a, b) => a.started_at.getTime() - b.started_at.getTime());
    for (const [i, p] of periods.entries()) {
      if (p.ended_at) {
        expect(p.ended_at.getTime()).toBeGreaterThan(p.started_at.getTime());
        expect(p.ended_at.getTime()).toBeGreaterThanOrEqual(p.last_seen_at.getTime());
      }
      const next = periods[i + 1];
      if (next) expect(p.ended_at?.getTime() ?? Infinity).toBeLessThanOrEqual(next.started_at.getTime());
    }
  }
}

async function scenario(url: string) {
  const before = migrationsBefore();
  try {
    await migrateDatabase(url, before);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // What two workers tracking one component at once left behind (the "Trust III" report): an up period each,
      // identical and open; a down period that ends before its last check; one that ends before it starts.
      await insert(client, "twin", "up", 0, 20, 30);
      await insert(client, "twin", "down", 30, 52, 50);
      await insert(client, "twin", "down", 31, 31, 31);
      await insert(client, "twin", "up", 50, 90, null);
      await insert(client, "twin", "up", 50, 90, null);
      await insert(client, "inverted", "down", 10, 10, 5);
      await insert(client, "fine", "up", 0, 9, 10);
      await insert(client, "fine", "down", 10, 19, 20);
      await insert(client, "fine", "up", 20, 40, null);

      await migrateDatabase(url, MIGRATIONS_DIR);

      const rows = (await client.query<Row>(`SELECT * FROM "state_period" ORDER BY "component_id", "started_at", "id"`))
        .rows;
      expectConsistent(rows);
      const summary = (c: string) =>
        rows
          .filter((r) => r.component_id === c)
          .map((r) => [r.status, r.started_at.toISOString(), r.ended_at?.toISOString() ?? null]);
      // One outage, one up period open after it; the duplicate and the empty periods are gone.
      expect(summary("twin")).toEqual([
        ["up", T(0), T(30)],
        ["down", T(30), T(50)],
        ["up", T(50), null],
      ]);
      expect(summary("inverted")).toEqual([]);
      expect(summary("fine")).toEqual([
        ["up", T(0), T(10)],
        ["down", T(10), T(20)],
        ["up", T(20), null],
      ]);

      // From now on the database refuses what produced that history.
      await expect(insert(client, "fine", "up", 30, 30, null)).rejects.toMatchObject({ code: "23P01" });
      await expect(insert(client, "fine", "down", 15, 16, 18)).rejects.toMatchObject({ code: "23P01" });
      await expect(insert(client, "other", "down", 10, 10, 5)).rejects.toMatchObject({ code: "23514" });
      await expect(insert(client, "other", "down", 10, 12, 11)).rejects.toMatchObject({ code: "23514" });
      // Periods that touch do not overlap ([start, end)), and other components are independent.
      await insert(client, "other", "up", 0, 5, 10);
      await insert(client, "other", "down", 10, 10, null);
      await insert(client, "another", "up", 0, 5, null);
    } finally {
      await client.end();
    }
  } finally {
    rmSync(before, { recursive: true, force: true });
  }
}

describe("state period constraints", () => {
  let embedded: EmbeddedDatabase;
  let name = "";
  beforeAll(async () => {
    embedded = await startEmbeddedDatabase(mkdtempSync(join(tmpdir(), "pf-embedded-")));
    name = `pf_periods_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
  });
  afterAll(async () => {
    await embedded?.stop();
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it("on the PostgreSQL server: repairs an old history, then refuses overlap and inversion", async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${name}`;
    await scenario(url.toString());
  });

  it("on the embedded PGlite (btree_gist from its contrib bundle): the same", async () => {
    await scenario(embedded.url);
  });
});
