import { defineConfig } from "vitest/config";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["node_modules", "e2e", "tools"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep integration files from starving each other.
    maxWorkers: 2,
    // Audit anchors of test databases go to a scratch file, never into the checkout's data directory; tests of
    // the anchor itself set their own.
    env: { PREFLIGHT_AUDIT_ANCHOR_FILE: join(tmpdir(), `preflight-test-anchors-${process.pid}.log`) },
  },
});
