import { spawn } from "node:child_process";
import { createPrismaClient } from "../../lib/db/client";
import { loadConfigFile } from "../../lib/config/load";
import { seedDemoUsers } from "../../lib/demo/seed-users";
import { createTestDatabase } from "../../lib/testing/database";
import { installKnownToken } from "../../lib/tokens/store";
import { E2E_PASSWORD, E2E_TOKEN } from "./token";

// A Preflight whose worker stopped two days ago: every component's stored state says "up" (since three days ago,
// last checked two days ago) and no worker runs, so nothing checks any more. Every page and API must read unknown.
const DAY = 86_400_000;
const database = await createTestDatabase("pf_e2e_stale");
const prisma = createPrismaClient(database.url, 1);
const { config } = loadConfigFile("preflight.config.yaml");
await installKnownToken(prisma, {
  name: "e2e",
  token: E2E_TOKEN,
  scopes: ["evidence:write", "readiness:read"],
  createdBy: "e2e",
});
await seedDemoUsers(prisma, E2E_PASSWORD, new Set(config.signoff?.roles.map((r) => r.id) ?? []));
const now = Date.now();
for (const c of config.components) {
  const since = new Date(now - 3 * DAY);
  const last = new Date(now - 2 * DAY);
  await prisma.componentState.create({
    data: {
      componentId: c.id,
      status: "up",
      since,
      observedStatus: "up",
      streak: 17_280,
      streakStartedAt: since,
      lastCheckedAt: last,
      lastLatencyMs: 4.2,
      lastDetail: "HTTP 200",
      updatedAt: last,
    },
  });
  await prisma.statePeriod.create({
    data: {
      componentId: c.id,
      status: "up",
      startedAt: since,
      lastSeenAt: last,
      endedAt: null,
      intervalMs: c.interval,
    },
  });
}
await prisma.$disconnect();
const child = spawn("npm", ["start"], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: database.url, REDIS_URL: "", PREFLIGHT_EMBEDDED_WORKER: "false" },
});
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => {
  void database.drop().finally(() => process.exit(code ?? 0));
});
