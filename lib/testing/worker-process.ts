import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// `npm run worker` as the tests run it: one node process (node --import tsx), so the pid in its worker id
// is the process a test signals.

const ROOT = join(import.meta.dirname, "..", "..");

export function spawnWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: "ignore",
  });
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves with the exit code (null if killed). */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  const code = await Promise.race([
    exited,
    new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), graceMs)),
  ]);
  if (code === "timeout") {
    child.kill("SIGKILL");
    return exited;
  }
  return code;
}

/** A configuration file in a fresh temporary directory. */
export function writeTempConfig(yaml: string): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "pf-config-"));
  const path = join(dir, "preflight.config.yaml");
  writeFileSync(path, yaml);
  return { path, dir };
}
