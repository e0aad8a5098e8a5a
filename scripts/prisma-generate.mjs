#!/usr/bin/env node
// Runs `prisma generate` offline. Prisma 7's CLI wants a schema engine binary even though generation does
// not use it, and would try to download one; pointing PRISMA_SCHEMA_ENGINE_BINARY at a stub that refuses to
// run keeps it offline (see shared/PRISMA.md).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
if (!existsSync(join(root, "node_modules", "prisma"))) {
  console.log("prisma-generate: prisma CLI not installed (production install?), skipping");
  process.exit(0);
}
const stubDir = join(root, "node_modules", ".cache", "preflight");
mkdirSync(stubDir, { recursive: true });
const stub = join(stubDir, "schema-engine-stub.sh");
writeFileSync(stub, '#!/bin/sh\necho "schema engine not available offline" >&2\nexit 1\n');
chmodSync(stub, 0o755);

const result = spawnSync(process.execPath, [join(root, "node_modules", "prisma", "build", "index.js"), "generate"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: stub, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
});
process.exit(result.status ?? 1);
