import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { needsBuild } from "./build-freshness";

// Builds once before the end-to-end suite, so its two servers never build side by side.
const root = resolve(import.meta.dirname, "..");
const build = needsBuild(root);
if (build.needed) {
  console.log(`build-if-needed: ${build.reason}`);
  const result = spawnSync(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env },
  });
  process.exit(result.status ?? 1);
}
