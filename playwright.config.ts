import { defineConfig } from "@playwright/test";
import { E2E_PASSWORD, E2E_TOKEN } from "./e2e/support/token";

// Debian's Chromium, never a downloaded browser. Two servers from one production build:
// the demo on the embedded database (port 3100, which also runs the demo stack), and `npm start` on the
// machine's real PostgreSQL and Redis (port 3101), probing the same demo stack.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const DEMO_CONTROL_URL = "http://127.0.0.1:17399";
// Specs that need a server of their own (below), never run against the two shared ones.
const STALE_ONLY = /(stale-worker|accounts|database-outage)\.spec\.ts/;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  // Each server's suite runs signed in as the demo admin (its session saved by the setup project); tests that
  // need another person sign in as them (e2e/support/sign-in.ts).
  projects: [
    { name: "embedded-setup", testMatch: /auth\.setup\.ts/, use: { baseURL: "http://127.0.0.1:3100" } },
    { name: "postgres-setup", testMatch: /auth\.setup\.ts/, use: { baseURL: "http://127.0.0.1:3101" } },
    { name: "stale-setup", testMatch: /auth\.setup\.ts/, use: { baseURL: "http://127.0.0.1:3102" } },
    { name: "outage-setup", testMatch: /auth\.setup\.ts/, use: { baseURL: "http://127.0.0.1:3103" } },
    {
      name: "embedded",
      dependencies: ["embedded-setup"],
      testIgnore: STALE_ONLY,
      use: { baseURL: "http://127.0.0.1:3100", storageState: "e2e/.auth/embedded.json" },
    },
    {
      name: "postgres",
      dependencies: ["postgres-setup"],
      testIgnore: STALE_ONLY,
      use: { baseURL: "http://127.0.0.1:3101", storageState: "e2e/.auth/postgres.json" },
    },
    // A server whose worker stopped two days ago (e2e/support/start-stale.ts): every figure must read unknown.
    {
      name: "stale",
      dependencies: ["stale-setup"],
      testMatch: /stale-worker\.spec\.ts/,
      use: { baseURL: "http://127.0.0.1:3102", storageState: "e2e/.auth/stale.json" },
    },
    // A server on a PostgreSQL of its own (e2e/support/start-db-outage.ts), which the spec stops and starts again.
    {
      name: "outage",
      dependencies: ["outage-setup"],
      testMatch: /database-outage\.spec\.ts/,
      use: { baseURL: "http://127.0.0.1:3103", storageState: "e2e/.auth/outage.json" },
    },
    // Last, on the server no other project uses: these tests lock an account and this machine's address on purpose.
    {
      name: "accounts",
      dependencies: ["stale"],
      testMatch: /accounts\.spec\.ts/,
      use: { baseURL: "http://127.0.0.1:3102" },
    },
  ],
  webServer: [
    {
      command: "rm -rf .preflight/e2e-embedded && npm run demo",
      env: {
        PORT: "3100",
        PREFLIGHT_DATA_DIR: ".preflight/e2e-embedded",
        DATABASE_URL: "",
        REDIS_URL: "",
        NEXT_TELEMETRY_DISABLED: "1",
        PREFLIGHT_DEMO_TOKEN: E2E_TOKEN,
        PREFLIGHT_DEMO_PASSWORD: E2E_PASSWORD,
      },
      url: "http://127.0.0.1:3100/api/health",
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
    {
      command: "npx tsx e2e/support/start-on-postgres.ts",
      // It probes the embedded server's demo stack, the mesh gateway with the client certificate that demo made.
      env: {
        PORT: "3101",
        PREFLIGHT_DATA_DIR: ".preflight/e2e-postgres",
        NEXT_TELEMETRY_DISABLED: "1",
        X0_GATEWAY_CA: ".preflight/e2e-embedded/demo-pki/ca.pem",
        X0_GATEWAY_CERT: ".preflight/e2e-embedded/demo-pki/client.pem",
        X0_GATEWAY_KEY: ".preflight/e2e-embedded/demo-pki/client.key",
      },
      url: "http://127.0.0.1:3101/api/health",
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
    {
      command: "npx tsx e2e/support/start-db-outage.ts",
      env: { PORT: "3103", PREFLIGHT_DATA_DIR: ".preflight/e2e-outage", NEXT_TELEMETRY_DISABLED: "1" },
      url: "http://127.0.0.1:3103/api/health",
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
    {
      command: "npx tsx e2e/support/start-stale.ts",
      env: { PORT: "3102", PREFLIGHT_DATA_DIR: ".preflight/e2e-stale", NEXT_TELEMETRY_DISABLED: "1" },
      url: "http://127.0.0.1:3102/api/health",
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
  ],
});
