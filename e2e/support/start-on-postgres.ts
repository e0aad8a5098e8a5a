import { spawn } from "node:child_process";
import { createPrismaClient } from "../../lib/db/client";
import { createTestDatabase } from "../../lib/testing/database";
import { installKnownToken } from "../../lib/tokens/store";
import { E2E_PASSWORD, E2E_TOKEN } from "./token";
import { loadConfigFile } from "../../lib/config/load";
import { seedDemoUsers } from "../../lib/demo/seed-users";

// The e2e server on the machine's real PostgreSQL and Redis: a database of its own, dropped on exit, with the
// suite's API token installed.
const database = await createTestDatabase("pf_e2e");
const prisma = createPrismaClient(database.url, 1);
await installKnownToken(prisma, {
  name: "e2e",
  token: E2E_TOKEN,
  scopes: ["evidence:write", "readiness:read"],
  createdBy: "e2e",
});
// The same people as the demo, so the suite signs in the same way on both servers.
await seedDemoUsers(
  prisma,
  E2E_PASSWORD,
  new Set(loadConfigFile("preflight.config.yaml").config.signoff?.roles.map((r) => r.id) ?? []),
);
await prisma.$disconnect();
const child = spawn("npm", ["start"], {
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: database.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  },
});
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => {
  void database.drop().finally(() => process.exit(code ?? 0));
});
