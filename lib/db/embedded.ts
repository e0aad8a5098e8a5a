import { createHash } from "node:crypto";
import { chmodSync, existsSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensurePrivateDir, restrictTree, tightenUmask } from "./owner-only";

// The embedded default: PGlite (PostgreSQL compiled to WASM) with its data in PREFLIGHT_DATA_DIR, served over the
// PostgreSQL wire protocol by pglite-socket, so `pg`, Prisma's adapter and the migration runner connect to it
// exactly as to a server, and several processes (web, worker, CLI) can share it.
//
// PGlite asks for no password: it lets in whoever reaches it, as the superuser. So it listens on a Unix socket
// inside the data directory, never on TCP, and the directory is its owner's alone (0700, nothing in it group- or
// world-writable): only this user (and root) can reach the socket. The socket is named as PostgreSQL names its own
// (.s.PGSQL.<port>), which is where `pg` looks when its host is a directory.

export type EmbeddedDatabase = { url: string; socketPath: string; owned: boolean; stop: () => Promise<void> };

export type EmbeddedInfo = { pid: number; socketPath: string; url: string };

/** Any port number names the socket; PostgreSQL's own keeps the name familiar. */
const SOCKET_PORT = 5432;
const SOCKET_NAME = `.s.PGSQL.${SOCKET_PORT}`;
/** A socket path holds at most 107 bytes on Linux and 103 on macOS (sun_path, with its NUL). */
const MAX_SOCKET_PATH_BYTES = 103;

const infoPath = (dataDir: string) => join(resolve(dataDir), "embedded-db.json");

/** `pg` reads a host that is a directory (percent-encoded in the URL) as a Unix socket directory. */
export const embeddedDatabaseUrl = (socketDir: string) =>
  `postgresql://postgres@${encodeURIComponent(socketDir)}:${SOCKET_PORT}/postgres`;

/**
 * Where the socket goes: the data directory itself, unless its path is too long for a socket address. Then a
 * directory of this user's under the system's temporary directory, 0700 and named after the data directory, so
 * every process of one installation finds the same one; a directory there that is someone else's is refused.
 */
export function embeddedSocketDir(dataDir: string): string {
  const dir = resolve(dataDir);
  if (Buffer.byteLength(join(dir, SOCKET_NAME)) <= MAX_SOCKET_PATH_BYTES) return dir;
  return join(tmpdir(), `preflight-db-${createHash("sha256").update(dir).digest("hex").slice(0, 16)}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(socketPath: string): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ path: socketPath });
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

function readInfo(dataDir: string): (Partial<EmbeddedInfo> & { port?: number }) | null {
  try {
    return JSON.parse(readFileSync(infoPath(dataDir), "utf8")) as Partial<EmbeddedInfo> & { port?: number };
  } catch {
    return null;
  }
}

/** The embedded database another Preflight process is already serving from this data directory, if any. */
export async function findRunningEmbeddedDatabase(dataDir: string): Promise<EmbeddedInfo | null> {
  if (!existsSync(infoPath(dataDir))) return null;
  const info = readInfo(dataDir);
  if (!info || typeof info.pid !== "number" || info.pid === process.pid || !isAlive(info.pid)) return null;
  if (typeof info.socketPath !== "string" || typeof info.url !== "string") {
    // Written by an older Preflight, which served this directory over TCP: starting a second server on the same
    // files would corrupt them, and joining would keep the unprotected one.
    if (typeof info.port === "number") {
      throw new Error(
        `an older Preflight (pid ${info.pid}) serves the embedded database of ${resolve(dataDir)} over TCP: stop it, then start again`,
      );
    }
    return null;
  }
  return (await canConnect(info.socketPath)) ? { pid: info.pid, socketPath: info.socketPath, url: info.url } : null;
}

/** A socket file left by a process that died; one that still answers belongs to a live server. */
async function clearStaleSocket(socketPath: string): Promise<void> {
  if (!existsSync(socketPath)) return;
  if (await canConnect(socketPath))
    throw new Error(`another process already serves the embedded database on ${socketPath}`);
  rmSync(socketPath, { force: true });
}

/** Starts the embedded server in this process, on a Unix socket only its owner can reach. */
export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const [{ PGlite }, { PGLiteSocketServer }, { btree_gist }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite-socket"),
    // The state history's exclusion constraint needs it (migration 20261202150000_state_period_no_overlap).
    import("@electric-sql/pglite/contrib/btree_gist"),
  ]);
  const dir = resolve(dataDir);
  tightenUmask();
  ensurePrivateDir(dir);
  // Files of an earlier version (or made under a loose umask) lose their group and other bits before PGlite opens them.
  restrictTree(dir);
  const socketDir = embeddedSocketDir(dir);
  if (socketDir !== dir) ensurePrivateDir(socketDir, { shared: true });
  const socketPath = join(socketDir, SOCKET_NAME);
  await clearStaleSocket(socketPath);

  const db = await PGlite.create(join(dir, "pgdata"), { extensions: { btree_gist } });
  // PGlite copies a new cluster's files in with mode 0666; later files it makes 0600 itself.
  restrictTree(dir);
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 64 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  chmodSync(socketPath, 0o600);
  const url = embeddedDatabaseUrl(socketDir);
  writeFileSync(infoPath(dir), JSON.stringify({ pid: process.pid, socketPath, url } satisfies EmbeddedInfo), {
    mode: 0o600,
  });
  return {
    url,
    socketPath,
    owned: true,
    stop: async () => {
      await server.stop();
      await db.close();
      rmSync(socketPath, { force: true });
      rmSync(infoPath(dir), { force: true });
      if (socketDir !== dir) {
        try {
          rmdirSync(socketDir);
        } catch {
          // not empty (someone else's file): leave it
        }
      }
    },
  };
}

/**
 * Joins the embedded database already running for this data directory, or starts one. Either way this process
 * writes owner-only files from now on: what it puts in the data directory (an audit anchor, say) stays its owner's.
 */
export async function attachOrStartEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  tightenUmask();
  const running = await findRunningEmbeddedDatabase(dataDir);
  if (running) return { url: running.url, socketPath: running.socketPath, owned: false, stop: async () => undefined };
  return startEmbeddedDatabase(dataDir);
}
