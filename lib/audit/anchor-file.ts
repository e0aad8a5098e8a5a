import { readFileSync } from "node:fs";
import { parseAnchors, type TAnchorFile } from "./anchor";

const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory",
};

/** The anchors in a file, or one sentence saying why there are none to read (never an exception). */
export function readAnchorFile(path: string): TAnchorFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    return { ok: false, error: `cannot read the anchor file ${path}: ${REASONS[code] ?? (error as Error).message}` };
  }
  const parsed = parseAnchors(text);
  return parsed.ok ? parsed : { ok: false, error: `the anchor file ${path} is malformed: ${parsed.error}` };
}
