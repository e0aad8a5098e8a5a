import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { getEnv, type TEnv } from "../env";
import { getLogger } from "../logger";
import { formatAnchorLine, type TAnchor } from "./anchor";

// Where committed audit entries are anchored: a line each in an append-only file (PREFLIGHT_AUDIT_ANCHOR_FILE, by
// default audit-anchor.log in the data directory) and an info line each in the log, so a log shipper keeps a
// second copy. `npm run audit:verify -- --anchor FILE` compares the database with the file.

export type TAnchorSink = (anchors: readonly TAnchor[]) => void;
export type TAnchorLog = {
  info: (fields: object, message: string) => void;
  error: (fields: object, message: string) => void;
};

export function anchorFileOf(env: Pick<TEnv, "PREFLIGHT_AUDIT_ANCHOR_FILE" | "PREFLIGHT_DATA_DIR">): string {
  return resolve(env.PREFLIGHT_AUDIT_ANCHOR_FILE ?? join(env.PREFLIGHT_DATA_DIR, "audit-anchor.log"));
}

/**
 * Appends the anchors of one commit in a single write to a file opened O_APPEND (created 0600), so the lines of
 * web, worker and command-line processes never interleave or overwrite each other, then logs each. Never throws:
 * the entries are committed already, so a file that cannot be written is reported, and the log line remains.
 */
export function createAnchorSink(file: string, log: TAnchorLog): TAnchorSink {
  return (anchors) => {
    if (anchors.length === 0) return;
    try {
      appendLines(file, anchors.map(formatAnchorLine).join(""));
    } catch (error) {
      log.error({ file, err: (error as Error).message }, "audit anchor not written to its file");
    }
    for (const anchor of anchors) log.info({ auditAnchor: anchor }, "audit anchor");
  };
}

function appendLines(file: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(file, "a", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    fd = openSync(file, "a", 0o600);
  }
  try {
    // One write() in practice; the loop only matters on a short write (a full disk).
    const bytes = Buffer.from(text, "utf8");
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
  } finally {
    closeSync(fd);
  }
}

/** The process's sink, from the environment (read when an entry commits, not when a client is made). */
export const defaultAnchorSink: TAnchorSink = (anchors) =>
  createAnchorSink(anchorFileOf(getEnv()), getLogger())(anchors);
