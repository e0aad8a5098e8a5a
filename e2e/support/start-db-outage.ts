import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { createPrismaClient } from "../../lib/db/client";
import { migrateDatabase } from "../../lib/db/migrate";
import { seedDemoUsers } from "../../lib/demo/seed-users";
import { MIGRATIONS_DIR } from "../../lib/testing/database";
import { startPrivatePostgres } from "../../lib/testing/private-postgres";
import { installKnownToken } from "../../lib/tokens/store";
import { E2E_PASSWORD, E2E_TOKEN } from "./token";

// The e2e server whose own database the suite takes away (e2e/database-outage.spec.ts): `npm start` on a private
// PostgreSQL server of its own, with the embedded worker and no Redis (so the workers' heartbeats go through the
// data directory's files). A control server beside it lets the spec stop and start that PostgreSQL, and is what
// the components probe (e2e/support/db-outage.config.yaml), on 127.0.0.1:17398.

const postgres = await startPrivatePostgres();
await migrateDatabase(postgres.url, MIGRATIONS_DIR);
const prisma = createPrismaClient(postgres.url, 1);
await installKnownToken(prisma, {
  name: "e2e",
  token: E2E_TOKEN,
  scopes: ["evidence:write", "readiness:read", "audit:read"],
  createdBy: "e2e",
});
await seedDemoUsers(prisma, E2E_PASSWORD, new Set());
await prisma.$disconnect();

const control = createServer((req, res) => {
  try {
    if (req.method === "POST" && req.url === "/postgres/stop") {
      postgres.stop();
      return void res.writeHead(200).end("stopped");
    }
    if (req.method === "POST" && req.url === "/postgres/start") {
      postgres.start();
      return void res.writeHead(200).end("started");
    }
    if (req.url?.startsWith("/target/")) return void res.writeHead(200).end("ok");
    res.writeHead(404).end();
  } catch (error) {
    res.writeHead(500).end((error as Error).message);
  }
});
await new Promise<void>((resolve) => control.listen(17398, "127.0.0.1", resolve));

const child = spawn("npm", ["start"], {
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: postgres.url,
    REDIS_URL: "",
    PREFLIGHT_CONFIG: "e2e/support/db-outage.config.yaml",
    PREFLIGHT_EMBEDDED_WORKER: "true",
  },
});
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => {
  control.close();
  postgres.destroy();
  process.exit(code ?? 0);
});
