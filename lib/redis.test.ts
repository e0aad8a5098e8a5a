import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { redisNamespace } from "./redis";

// Preflight's own Redis connections are made in lib/redis.ts only (one for commands, one for subscriptions, per
// process). A second `new Redis(` is how "probe now" came to open two connections per click.

const ROOT = join(import.meta.dirname, "..");
const SKIP = new Set(["node_modules", ".next", "generated", "test-results", "playwright-report", "coverage", ".git"]);
const ALLOWED = new Set([
  "lib/redis.ts",
  // The monitored system's Redis, not ours: one short-lived connection per probe.
  "lib/probes/redis.ts",
]);
// A connection of its own, however spelled: the class (under any import name), a copy of a client, a cluster.
const NEW_CONNECTION = /new\s+(?:IO)?Redis\s*\(|new\s+(?:Redis\.)?Cluster\s*\(|\.duplicate\s*\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    // Tests may make raw clients of their own (the demo simulator's, a test's view of the server).
    if (!/\.(ts|tsx|mts|js|mjs)$/.test(entry.name) || /\.(test|spec)\./.test(entry.name)) return [];
    return [path];
  });
}

describe("one place for Redis connections", () => {
  it("only lib/redis.ts makes a connection to Preflight's Redis", () => {
    const files = sourceFiles(ROOT).map((path) => relative(ROOT, path).split("\\").join("/"));
    // The walk reached the code it guards.
    expect(files).toEqual(
      expect.arrayContaining([
        "lib/redis.ts",
        "lib/events/bus.ts",
        "lib/worker/probe-now.ts",
        "scripts/worker.ts",
        "app/api/events/route.ts",
      ]),
    );
    const offenders = files.filter(
      (file) => !ALLOWED.has(file) && NEW_CONNECTION.test(readFileSync(join(ROOT, file), "utf8")),
    );
    expect(offenders).toEqual([]);
    expect(NEW_CONNECTION.test(readFileSync(join(ROOT, "lib/redis.ts"), "utf8"))).toBe(true);
  });

  it("the pattern catches the spellings it is meant to", () => {
    for (const text of [
      "new Redis(url)",
      "new Redis (url, {})",
      "new IORedis(url)",
      "new Redis.Cluster([])",
      "client.duplicate()",
    ]) {
      expect(NEW_CONNECTION.test(text), text).toBe(true);
    }
    for (const text of ["getRedis()", "import { Redis } from 'ioredis'", "type Redis"])
      expect(NEW_CONNECTION.test(text), text).toBe(false);
  });
});

describe("redisNamespace", () => {
  it("is the same for the same database whatever the password, and differs between databases", () => {
    const a = redisNamespace("postgresql://app:secret@db:5432/preflight");
    expect(redisNamespace("postgresql://app:other@db/preflight")).toBe(a);
    expect(redisNamespace("postgresql://app:secret@db:5432/other")).not.toBe(a);
    expect(a).toMatch(/^preflight:[0-9a-f]{12}$/);
  });
});
