import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// Files only their owner reaches, the way PostgreSQL keeps its own data directory (initdb: 0700, umask 077).

/** Group and other bits: none of them may be set on anything of the embedded database. */
const GROUP_OTHER = 0o077;

/**
 * From now on this process creates files for its owner only. Process-wide on purpose: PGlite creates files and
 * directories as long as it runs, and a umask of 002 (common for personal groups) would make them group-writable.
 * Children inherit it (the web server the launcher spawns writes its own files owner-only too).
 */
export function tightenUmask(): void {
  try {
    process.umask(process.umask() | GROUP_OTHER);
  } catch {
    // A worker thread may not change the umask; the chmod walks below still hold.
  }
}

/**
 * Takes every group and other permission bit away from `dir` and everything in it. Symbolic links inside are
 * neither followed nor changed (what one points at is not ours to change); `dir` itself may be one.
 */
export function restrictTree(dir: string): void {
  const walk = (path: string, root = false) => {
    const stat = root ? statSync(path) : lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & GROUP_OTHER) !== 0) chmodSync(path, stat.mode & 0o7700);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir, true);
}

/**
 * A directory mode 0700: made if missing, tightened otherwise. `shared` is for one under a directory others write
 * to (the system's temporary directory): there it may have been made by someone else first, so one that is not
 * this user's, or a symbolic link, is refused.
 */
export function ensurePrivateDir(dir: string, { shared = false }: { shared?: boolean } = {}): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = shared ? lstatSync(dir) : statSync(dir);
  if (stat.isSymbolicLink() || !stat.isDirectory()) throw new Error(`${dir} is not a directory: remove it`);
  const uid = process.getuid?.();
  if (shared && uid !== undefined && stat.uid !== uid)
    throw new Error(
      `${dir} belongs to another user (uid ${stat.uid}): remove it, or choose a shorter PREFLIGHT_DATA_DIR`,
    );
  if ((stat.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}
