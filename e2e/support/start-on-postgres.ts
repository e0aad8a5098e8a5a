import { spawn } from "node:child_process";
import { createTestDatabase } from "../../lib/testing/database";

// The e2e server on the machine's real PostgreSQL and Redis: a database of its own, dropped on exit.
const database = await createTestDatabase("pf_e2e");
const child = spawn("npm", ["start"], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: database.url, REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379" },
});
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => {
  void database.drop().finally(() => process.exit(code ?? 0));
});
