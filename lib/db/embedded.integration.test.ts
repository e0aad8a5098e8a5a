import { execFile } from "node:child_process";
import { promisify } from "node:util";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  embeddedSocketDir,
  findRunningEmbeddedDatabase,
  startEmbeddedDatabase,
  type EmbeddedDatabase,
} from "./embedded";

// The embedded database as its owner alone reaches it: no TCP port, a Unix socket inside a 0700 data directory,
// nothing in that directory writable by group or others (PGlite itself copies its files in as 0666), a `pg`
// client and a second process that join it through the socket, and a socket moved to a private directory under
// the temporary directory when the data directory's path is too long for a socket address.

const ROOT = join(import.meta.dirname, "..", "..");

/** Inodes of the TCP sockets this process listens on, from /proc (state 0A is LISTEN). */
function ownListeningTcpInodes(): Set<string> {
  const listening = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === "0A" && fields[9]) listening.add(fields[9]);
    }
  }
  const own = new Set<string>();
  for (const fd of readdirSync("/proc/self/fd")) {
    let target = "";
    try {
      target = readlinkSync(join("/proc/self/fd", fd));
    } catch {
      continue; // closed meanwhile
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && listening.has(inode)) own.add(inode);
  }
  return own;
}

/** Every path under `dir` (itself included) whose mode lets group or others write. */
function groupOrWorldWritable(dir: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & 0o022) !== 0) found.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return found;
}

const mode = (path: string) => lstatSync(path).mode & 0o777;

async function query(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<{ who: string }>("SELECT current_user AS who")).rows[0]?.who;
  } finally {
    await client.end();
  }
}

describe("the embedded database in its data directory", () => {
  let parent: string;
  let dataDir: string;
  let db: EmbeddedDatabase;
  let tcpBefore: Set<string>;

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), "pf-embedded-"));
    dataDir = join(parent, "data");
    // A data directory as a loose umask or an older version left it: open to everyone, with a world-writable file.
    mkdirSync(dataDir, { mode: 0o777 });
    chmodSync(dataDir, 0o777);
    writeFileSync(join(dataDir, "left-over"), "x");
    chmodSync(join(dataDir, "left-over"), 0o666);
    tcpBefore = ownListeningTcpInodes();
    db = await startEmbeddedDatabase(dataDir);
  });
  afterAll(async () => {
    await db?.stop();
    rmSync(parent, { recursive: true, force: true });
  });

  it("listens on no TCP port", () => {
    const added = [...ownListeningTcpInodes()].filter((inode) => !tcpBefore.has(inode));
    expect(added, "the embedded database opened a TCP listening socket").toEqual([]);
    expect(db.url).not.toMatch(/@(127\.0\.0\.1|localhost|\[::1\])/);
  });

  it("listens on a Unix socket inside the data directory, for its owner only", () => {
    expect(db.socketPath).toBe(join(dataDir, ".s.PGSQL.5432"));
    expect(lstatSync(db.socketPath).isSocket()).toBe(true);
    expect(mode(db.socketPath) & 0o077).toBe(0);
  });

  it("keeps the data directory 0700 and nothing in it writable by group or others", () => {
    expect(mode(dataDir)).toBe(0o700);
    expect(existsSync(join(dataDir, "pgdata", "PG_VERSION"))).toBe(true);
    expect(groupOrWorldWritable(dataDir)).toEqual([]);
    expect(mode(join(dataDir, "embedded-db.json"))).toBe(0o600);
  });

  it("answers a pg client connecting through the socket", async () => {
    expect(await query(db.url)).toBe("postgres");
  });

  it("is found and joined by a second process, through the socket", async () => {
    expect(await findRunningEmbeddedDatabase(dataDir)).toBeNull(); // this process serves it: nothing to join
    // Not spawnSync: this process serves the socket, and must keep answering while the child asks.
    const child = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "lib/testing/join-embedded.ts", dataDir],
      { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
    );
    const joined = JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
    expect(joined).toEqual({ owned: false, url: db.url, socketPath: db.socketPath, answer: 42 });
    // The second process's stop leaves the server running.
    expect(await query(db.url)).toBe("postgres");
  });

  it("still writes owner-only files after a table is made", async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("CREATE TABLE owner_only (id int PRIMARY KEY); INSERT INTO owner_only VALUES (1); CHECKPOINT");
    await client.end();
    expect(groupOrWorldWritable(dataDir)).toEqual([]);
  });
});

describe("the embedded database under a data directory too long for a socket address", () => {
  let parent: string;
  let dataDir: string;
  let db: EmbeddedDatabase;

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), "pf-embedded-long-"));
    dataDir = join(parent, "a-data-directory-whose-path-is-longer-than-a-unix-socket-address-may-be", "data");
    expect(Buffer.byteLength(join(dataDir, ".s.PGSQL.5432"))).toBeGreaterThan(107);
    db = await startEmbeddedDatabase(dataDir);
  });
  afterAll(async () => {
    await db?.stop();
    rmSync(parent, { recursive: true, force: true });
  });

  it("puts the socket in a private directory of its own under the temporary directory, and answers there", async () => {
    const socketDir = embeddedSocketDir(dataDir);
    expect(socketDir.startsWith(tmpdir())).toBe(true);
    expect(db.socketPath).toBe(join(socketDir, ".s.PGSQL.5432"));
    expect(Buffer.byteLength(db.socketPath)).toBeLessThanOrEqual(103);
    expect(mode(socketDir)).toBe(0o700);
    expect(lstatSync(socketDir).uid).toBe(process.getuid?.());
    expect(groupOrWorldWritable(dataDir)).toEqual([]);
    expect(await query(db.url)).toBe("postgres");
  });

  it("removes that directory when it stops", async () => {
    const socketDir = embeddedSocketDir(dataDir);
    await db.stop();
    expect(existsSync(socketDir)).toBe(false);
    expect(existsSync(join(dataDir, "embedded-db.json"))).toBe(false);
    db = await startEmbeddedDatabase(dataDir); // for afterAll, and: a restart finds the same place again
    expect(db.socketPath).toBe(join(socketDir, ".s.PGSQL.5432"));
  });
});

describe("the socket directory under the temporary directory, when it is not this user's own", () => {
  let parent: string;
  let dataDir: string;
  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), "pf-embedded-taken-"));
    dataDir = join(parent, "another-data-directory-whose-path-is-longer-than-a-unix-socket-address-may-be", "data");
  });
  afterAll(() => {
    rmSync(embeddedSocketDir(dataDir), { recursive: true, force: true });
    rmSync(parent, { recursive: true, force: true });
  });

  it("is refused when it is a symbolic link someone planted", async () => {
    const elsewhere = mkdtempSync(join(parent, "elsewhere-"));
    symlinkSync(elsewhere, embeddedSocketDir(dataDir));
    await expect(startEmbeddedDatabase(dataDir)).rejects.toThrow(/is not a directory/);
    expect(readdirSync(elsewhere)).toEqual([]);
    rmSync(embeddedSocketDir(dataDir), { force: true });
  });

  it.runIf(process.getuid?.() === 0)("is refused when another user made it first", async () => {
    mkdirSync(embeddedSocketDir(dataDir), { mode: 0o777 });
    chownSync(embeddedSocketDir(dataDir), 65534, 65534);
    await expect(startEmbeddedDatabase(dataDir)).rejects.toThrow(/belongs to another user/);
  });
});
