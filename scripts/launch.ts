import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { fail, migrate, openDatabase, readConfig, readEnv, warnIfAuditUnprotected } from "./boot";
import { needsBuild } from "./build-freshness";
import { resolveAuthSecret } from "../lib/auth/secret";
import type { DemoPki } from "../lib/demo/demo-pki";
import { maskUrl } from "../lib/redact";
import { answerHelp } from "./cli-help";

// `npm start` and `npm run demo`. Validates the environment and configuration, opens the database
// (DATABASE_URL, or the embedded PGlite server kept in this process), applies migrations, builds the app
// if it has never been built, then runs `next start`, whose instrumentation hook starts the scheduler.
// `demo` also starts the demo stack, the simulators of x0tta6bl4's eight services, and its control server.

answerHelp(`usage: npm start
       npm run demo
start: validates the environment and the configuration (PREFLIGHT_CONFIG, default ./preflight.config.yaml), opens
the database (DATABASE_URL, or the embedded one in PREFLIGHT_DATA_DIR), applies migrations, builds the app when the
build is missing or stale, and serves it on PORT. demo: the same with the x0tta6bl4 demo stack and demo credentials.
To check the configuration alone, without building or starting anything: npm run config:check`);

const mode = process.argv[2];
if (mode !== "start" && mode !== "demo") fail(`usage: launch.ts start|demo (got ${mode ?? "nothing"})`);

const root = resolve(import.meta.dirname, "..");
const nextBin = join(root, "node_modules", "next", "dist", "bin", "next");
const env = readEnv();
// The demo's mesh gateway certificates live in the data directory; the configuration finds them through these
// variables (its defaults only cover the default data directory). Set before the configuration is read, here and
// by the web server and worker, which inherit them. A value already set (a real gateway's PKI) is kept.
const demoPkiDir = resolve(env.PREFLIGHT_DATA_DIR, "demo-pki");
if (mode === "demo") {
  const { demoPkiPaths } = await import("../lib/demo/demo-pki");
  const paths = demoPkiPaths(demoPkiDir);
  process.env.X0_GATEWAY_CA ||= paths.caPath;
  process.env.X0_GATEWAY_CERT ||= paths.clientCertPath;
  process.env.X0_GATEWAY_KEY ||= paths.clientKeyPath;
}
const { config, file } = readConfig(env);
const port = env.PORT;
const cleanups: (() => Promise<void>)[] = [];

const db = await openDatabase(env);
if (db.embedded) cleanups.push(db.embedded.stop);
await migrate(db.url);
await warnIfAuditUnprotected(db);
{
  // The plan of the configuration, seeded once into the database (later edits are made in the app).
  const { createPrismaClient } = await import("../lib/db/client");
  const { seedPlan } = await import("../lib/services/plan/seed");
  const prisma = createPrismaClient(db.url, 1);
  try {
    if ((await seedPlan(prisma, config.plan)).seeded) console.log("preflight: seeded the plan from the configuration");
  } finally {
    await prisma.$disconnect();
  }
}

const childEnv: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: "1", ...process.env, NODE_ENV: "production" };
childEnv.PORT = String(port);
// The demo serves this machine only, unless told otherwise.
if (mode === "demo") childEnv.PREFLIGHT_HOST ||= "127.0.0.1";
if (db.embedded) childEnv.PREFLIGHT_EMBEDDED_DB_URL = db.url;
// Session cookies are signed with PREFLIGHT_AUTH_SECRET, or with one kept in the data directory.
childEnv.PREFLIGHT_AUTH_SECRET = resolveAuthSecret(env);

// The demo's credentials: an API token and one user per role, printed at start (PREFLIGHT_DEMO_TOKEN and
// PREFLIGHT_DEMO_PASSWORD fix them, for tests), and the evidence the reference reports as done, seeded once.
// Nothing like them exists outside the demo.
let demoToken: string | null = null;
let demoPassword: string | null = null;
if (mode === "demo") {
  const { createPrismaClient } = await import("../lib/db/client");
  const { installKnownToken } = await import("../lib/tokens/store");
  const { generateToken } = await import("../lib/tokens/token");
  const { seedDemoEvidence } = await import("../lib/demo/seed-evidence");
  const { seedDemoUsers } = await import("../lib/demo/seed-users");
  const prisma = createPrismaClient(db.url, 1);
  try {
    demoToken = env.PREFLIGHT_DEMO_TOKEN ?? generateToken();
    await installKnownToken(prisma, {
      name: "demo",
      token: demoToken,
      scopes: ["evidence:write", "readiness:read"],
      createdBy: "demo",
    });
    demoPassword = env.PREFLIGHT_DEMO_PASSWORD ?? randomBytes(12).toString("base64url");
    await seedDemoUsers(prisma, demoPassword, new Set(config.signoff?.roles.map((r) => r.id) ?? []));
    const seeded = await seedDemoEvidence(prisma, config);
    if (seeded.errors.length > 0) console.error(`preflight: demo evidence partly refused: ${seeded.errors.join("; ")}`);
  } finally {
    await prisma.$disconnect();
  }
}

if (mode === "demo") {
  const { ensureDemoPki } = await import("../lib/demo/demo-pki");
  const { runDemo } = await import("../lib/demo/run-demo");
  let pki: DemoPki;
  try {
    // Written before `next start`, whose worker probes the gateway with the client certificate from these files.
    const ensured = await ensureDemoPki(demoPkiDir);
    pki = ensured.pki;
    if (ensured.created) console.log(`preflight: made the demo mesh gateway's certificates in ${demoPkiDir}`);
  } catch (error) {
    await Promise.allSettled(cleanups.map((c) => c()));
    fail(`the demo's certificates could not be made in ${demoPkiDir}: ${(error as Error).message}`);
  }
  try {
    const demo = await runDemo({ log: () => undefined, pki });
    cleanups.push(demo.stop);
    childEnv.PREFLIGHT_DEMO_CONTROL_URL = demo.control.url;
  } catch (error) {
    await Promise.allSettled(cleanups.map((c) => c()));
    fail(
      `the demo stack could not start: ${(error as Error).message} (is another demo running? its ports are 13000, 14269, 15432, 16379, 17399, 18000, 18443, 19090 and 19093)`,
    );
  }
}

const build = needsBuild(root);
if (build.needed) {
  console.log(`preflight: ${build.reason}, running \`next build\` (about a minute)…`);
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: { ...childEnv } });
  if (result.status !== 0) {
    await Promise.allSettled(cleanups.map((c) => c()));
    fail("next build failed");
  }
}

console.log(
  [
    "",
    `Preflight ${mode === "demo" ? "demo " : ""}for ${config.system.name}`,
    `  dashboard      http://localhost:${port}`,
    `  configuration  ${file} (${config.components.length} components)`,
    `  database       ${db.embedded ? `embedded PGlite in ${resolve(env.PREFLIGHT_DATA_DIR)}` : maskUrl(db.url)}`,
    `  redis          ${env.REDIS_URL ? maskUrl(env.REDIS_URL) : "none (locks and events in-process)"}`,
    mode === "demo" ? `  demo controls  http://localhost:${port}/demo  or  npm run demo:ctl -- api down` : "",
    demoToken ? `  demo API token ${demoToken}  (demo credentials: evidence:write, readiness:read)` : "",
    demoToken ? `  gate           npx preflight gate --url http://localhost:${port} --token ${demoToken} --min 90` : "",
    demoPassword
      ? `  demo sign-in    admin@, editor@, viewer@, tech-lead@, security@, ops@, product@, exec@x0tta6bl4.demo`
      : "",
    demoPassword ? `                 password ${demoPassword}  (demo credentials, one user per role)` : "",
    "",
  ]
    .filter((line) => line !== "")
    .join("\n"),
);

// Not `next start`: scripts/next-server.mjs takes the client's address from the socket (PREFLIGHT_TRUSTED_PROXIES).
const server: ChildProcess = spawn(process.execPath, [join(root, "scripts", "next-server.mjs")], {
  cwd: root,
  stdio: "inherit",
  env: childEnv,
});

let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  if (server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((done) => {
      const timer = setTimeout(() => {
        server.kill("SIGKILL");
        done(undefined);
      }, 5_000);
      server.once("exit", () => {
        clearTimeout(timer);
        done(undefined);
      });
    });
  }
  await Promise.allSettled(cleanups.map((c) => c()));
  process.exit(code);
};
server.on("exit", (code) => void shutdown(code ?? 0));
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
