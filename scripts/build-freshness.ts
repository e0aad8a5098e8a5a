import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// `npm start` and `npm run demo` build the app when there is no build, or when a source file is newer
// than the build, so a pulled change never runs on an old build.

const SOURCES = [
  "app",
  "components",
  "lib",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
  "postcss.config.mjs",
];
const SKIP = new Set(["node_modules", "generated", ".next"]);

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (SKIP.has(entry) || entry.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function needsBuild(root: string): { needed: boolean; reason: string } {
  const buildId = join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return { needed: true, reason: "no production build yet" };
  const builtAt = statSync(buildId).mtimeMs;
  const changed = SOURCES.find((source) => newestMtime(join(root, source)) > builtAt);
  return changed ? { needed: true, reason: `${changed} changed since the last build` } : { needed: false, reason: "" };
}
