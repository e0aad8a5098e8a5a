import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join, resolve } from "node:path";

// The embedded default: PGlite (PostgreSQL compiled to WASM) with its data in PREFLIGHT_DATA_DIR, served
// over the PostgreSQL wire protocol by pglite-socket, so `pg`, Prisma's adapter and the migration runner
// connect to it exactly as to a server, and several processes (web, worker, CLI) can share it.

export type EmbeddedDatabase = { url: string; port: number; owned: boolean; stop: () => Promise<void> };

type EmbeddedInfo = { pid: number; port: number; url: string };

const infoPath = (dataDir: string) => join(resolve(dataDir), "embedded-db.json");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
    socket.once("timeout", () => {
      socket.destroy();
      done(false);
    });
  });
}

/** The embedded database another Preflight process is already serving from this data directory, if any. */
export async function findRunningEmbeddedDatabase(dataDir: string): Promise<EmbeddedInfo | null> {
  const path = infoPath(dataDir);
  if (!existsSync(path)) return null;
  try {
    const info = JSON.parse(readFileSync(path, "utf8")) as EmbeddedInfo;
    if (info.pid !== process.pid && isAlive(info.pid) && (await canConnect(info.port))) return info;
  } catch {
    // unreadable or stale: start a new one below
  }
  return null;
}

/** Starts the embedded server in this process; `port` 0 picks a free port. */
export async function startEmbeddedDatabase(dataDir: string, port = 0): Promise<EmbeddedDatabase> {
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite-socket"),
  ]);
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(join(dir, "pgdata"));
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 64 });
  await server.start();
  const conn = server.getServerConn();
  const actualPort = Number(conn.slice(conn.lastIndexOf(":") + 1));
  const url = `postgresql://postgres@127.0.0.1:${actualPort}/postgres?sslmode=disable`;
  writeFileSync(infoPath(dir), JSON.stringify({ pid: process.pid, port: actualPort, url } satisfies EmbeddedInfo));
  return {
    url,
    port: actualPort,
    owned: true,
    stop: async () => {
      await server.stop();
      await db.close();
      rmSync(infoPath(dir), { force: true });
    },
  };
}

/** Joins the embedded database already running for this data directory, or starts one. */
export async function attachOrStartEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const running = await findRunningEmbeddedDatabase(dataDir);
  if (running) return { url: running.url, port: running.port, owned: false, stop: async () => undefined };
  return startEmbeddedDatabase(dataDir);
}
