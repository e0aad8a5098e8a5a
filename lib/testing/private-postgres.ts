import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A PostgreSQL server of the test's own, started from Debian's binaries in a temporary directory, so a test
// can stop and restart it without touching the machine's shared server. PostgreSQL refuses to run as
// root, so as root it runs as the `postgres` user.

function binDir(): string {
  const base = "/usr/lib/postgresql";
  const version = readdirSync(base).sort().pop();
  if (!version) throw new Error("no PostgreSQL installation under /usr/lib/postgresql");
  return join(base, version, "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export type PrivatePostgres = { url: string; port: number; stop: () => void; start: () => void; destroy: () => void };

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "pf-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  const port = await freePort();
  const asPostgres = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = asPostgres ? ["runuser", "-u", "postgres", "--", join(bin, cmd), ...args] : [join(bin, cmd), ...args];
    const result = spawnSync(full[0] ?? "", full.slice(1), { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
  };
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const start = () =>
    run("pg_ctl", [
      "-D",
      data,
      "-l",
      join(dir, "log"),
      "-w",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      "start",
    ]);
  const stop = () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    destroy: () => {
      if (existsSync(join(data, "postmaster.pid"))) {
        try {
          stop();
        } catch {
          execFileSync("pkill", ["-f", data]);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
