import { closeSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { ConfigError, positionAt } from "./errors";
import { MAX_CONFIG_BYTES } from "./guards";
import { findInvalidUtf8 } from "./utf8";

const HINT = "(set PREFLIGHT_CONFIG to its path)";

const ERRNO_REASONS: Record<string, string> = {
  ENOENT: "file not found",
  ENOTDIR: "a part of the path is not a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory, not a file",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the path is too long",
};

function cannotRead(file: string, reason: string): ConfigError {
  return new ConfigError(file, [{ path: "", message: `cannot read configuration: ${reason} ${HINT}` }]);
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && ERRNO_REASONS[code]) return ERRNO_REASONS[code];
  // The first line only: an fs error's message never needs its stack to be understood.
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
}

/** The bytes of `file`, at most MAX_CONFIG_BYTES of them; anything that is not a regular file is refused. */
function readBytes(file: string): Uint8Array {
  try {
    // stat before open: opening a FIFO would block until something writes to it.
    const kind = statSync(file);
    if (kind.isDirectory()) throw cannotRead(file, "it is a directory, not a file");
    if (!kind.isFile()) throw cannotRead(file, "not a regular file");
    const fd = openSync(file, "r");
    try {
      const size = fstatSync(fd).size;
      if (size > MAX_CONFIG_BYTES) throw tooLarge(file, size);
      // Read one byte past the limit, so a file that grew after fstat is still refused rather than read whole.
      const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
      let length = 0;
      for (let n = -1; n !== 0 && length < buffer.length; length += n) {
        n = readSync(fd, buffer, length, buffer.length - length, null);
      }
      if (length > MAX_CONFIG_BYTES) throw tooLarge(file);
      return buffer.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw cannotRead(file, reasonOf(error));
  }
}

/** `size` is left out when the file grew while being read: all that is known then is that it passed the limit. */
function tooLarge(file: string, size?: number): ConfigError {
  const actual = size === undefined ? "" : ` (${size} bytes)`;
  const message = `the file is larger than 1 MiB${actual}; the limit is ${MAX_CONFIG_BYTES} bytes`;
  return new ConfigError(file, [{ path: "", message }]);
}

/** The text of `file`, refused unless it is UTF-8: a Latin-1 "é" must not turn silently into U+FFFD. */
export function readConfigText(file: string): string {
  const bytes = readBytes(file);
  const offset = findInvalidUtf8(bytes);
  if (offset !== null) {
    // Everything before `offset` is valid, so it decodes exactly and gives the line and column of the bad byte.
    const before = Buffer.from(bytes.subarray(0, offset)).toString("utf8");
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    const message = `not valid UTF-8: byte 0x${byte} at byte offset ${offset} (save the file as UTF-8)`;
    throw new ConfigError(file, [{ path: "", message, ...positionAt(before, before.length) }]);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("utf8");
}
