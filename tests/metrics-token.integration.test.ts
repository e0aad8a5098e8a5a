import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../lib/testing/database";

// GET /metrics with PREFLIGHT_METRICS_TOKEN set: scrapers must send it; the route handler itself, on a real database.
vi.mock("next/server", async (original) => ({
  ...(await original<typeof import("next/server")>()),
  connection: async () => undefined,
}));

const TOKEN = "metrics-scrape-secret-0123";
let database: TestDatabase;
let GET: (request: Request) => Promise<Response>;

beforeAll(async () => {
  database = await createTestDatabase();
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    REDIS_URL: "",
    PREFLIGHT_CONFIG: join(import.meta.dirname, "..", "preflight.config.yaml"),
    PREFLIGHT_METRICS_TOKEN: TOKEN,
  });
  ({ GET } = await import("../app/metrics/route"));
});
afterAll(async () => {
  await (await import("../lib/db/client")).getPrisma().$disconnect();
  await database.drop();
});

const scrape = (authorization?: string) =>
  GET(new Request("http://localhost/metrics", { headers: authorization ? { authorization } : {} }));

describe("GET /metrics with a metrics token", () => {
  it("refuses a scrape without the token, or with another one", async () => {
    for (const response of [
      await scrape(),
      await scrape("Bearer wrong-token-0000000000"),
      await scrape(`Basic ${TOKEN}`),
    ]) {
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
      expect(await response.text()).not.toContain("preflight_");
    }
  });

  it("serves the exposition to a scrape with the token", async () => {
    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^# TYPE preflight_component_status gauge$/m);
  });
});
