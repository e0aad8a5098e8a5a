import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_POSTGRES_URL, TEST_REDIS_URL, type TestDatabase } from "../lib/testing/database";
import { spawnWorkerProcess, stopProcess } from "../lib/testing/worker-process";

// The command-line entry points as a user runs them: `npm run worker` as its own process, and `npm start`
// refusing a bad configuration before anything starts.

const root = join(import.meta.dirname, "..");
const tsx = join(root, "node_modules", ".bin", "tsx");
const dir = mkdtempSync(join(tmpdir(), "pf-proc-"));
const configPath = join(dir, "preflight.config.yaml");
writeFileSync(
  configPath,
  `version: 1
system: { name: proc-test }
defaults: { interval: 1s, timeout: 500ms }
components:
  - { id: db, name: Database, service: PostgreSQL, probe: { type: postgres, url: "${TEST_POSTGRES_URL}" } }
  - { id: cache, name: Cache, service: Redis, probe: { type: redis, url: "${TEST_REDIS_URL}" } }
`,
);

describe("npm run worker", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("pf_proc");
  });
  afterAll(async () => {
    await database.drop();
  });

  it("probes on its own, beats its heartbeat file, and cleans up on SIGTERM", async () => {
    const heartbeat = join(dir, "worker.heartbeat");
    const child = spawnWorkerProcess({
      DATABASE_URL: database.url,
      PREFLIGHT_CONFIG: configPath,
      PREFLIGHT_HEARTBEAT_FILE: heartbeat,
    });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      let states: { component_id: string; status: string }[] = [];
      for (let i = 0; i < 40 && states.length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        states = (await client.query("SELECT component_id, status FROM component_state ORDER BY component_id")).rows;
      }
      expect(states).toEqual([
        { component_id: "cache", status: "up" },
        { component_id: "db", status: "up" },
      ]);
      expect(
        (await client.query("SELECT count(*)::int AS n FROM worker_heartbeat WHERE worker_id LIKE 'standalone-%'"))
          .rows[0],
      ).toEqual({ n: 1 });
      const { existsSync } = await import("node:fs");
      expect(existsSync(heartbeat)).toBe(true);

      expect(await stopProcess(child, 10_000)).toBe(0);
      expect((await client.query("SELECT count(*)::int AS n FROM worker_heartbeat")).rows[0]).toEqual({ n: 0 });
    } finally {
      child.kill("SIGKILL");
      await client.end();
    }
  }, 30_000);
});

describe("npm start with a bad configuration", () => {
  it("stops before starting anything, naming the file, the line and the field", () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      "version: 1\nsystem: { name: x }\ncomponents:\n  - id: api\n    name: API\n    service: s\n    probe: { type: http, url: nope }\n",
    );
    const result = spawnSync(tsx, ["scripts/launch.ts", "start"], {
      cwd: root,
      env: { ...process.env, PREFLIGHT_CONFIG: bad, DATABASE_URL: "", PREFLIGHT_DATA_DIR: join(dir, "data") },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Invalid configuration in ${bad}`);
    expect(result.stderr).toMatch(
      /bad\.yaml:7:\d+ components\[0\]\.probe\.url: (not a valid URL: no scheme|expected a URL)/,
    );
  });

  it("names a bad environment variable", () => {
    const result = spawnSync(tsx, ["scripts/launch.ts", "start"], {
      cwd: root,
      env: { ...process.env, PREFLIGHT_CONFIG: configPath, DATABASE_URL: "mysql://nope" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL: expected a postgresql:\/\/ URL/);
  });
});
