import { z } from "zod";

// One check for every URL-shaped field. `new URL` alone is not enough: it throws on a port above 65535 (which a
// refine used to report as a wrong scheme), accepts port 0, and for redis:// or postgres:// accepts an empty host.
// Messages never repeat the URL itself: it may carry a password from the environment.

const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const HOST_PORT_RE = /^(\[[^\]]*\]|[^:[\]]*)(?::(.*))?$/;

/** Why `value` is not a URL with one of `schemes`, or null when it is one. */
export function describeUrlProblem(value: string, schemes: readonly string[]): string | null {
  const expected = `expected a URL starting with ${schemes.map((s) => `${s}://`).join(" or ")}`;
  if (value === "") return `${expected} (the value is empty)`;
  const scheme = SCHEME_RE.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return `not a valid URL: no scheme (${expected})`;
  if (!schemes.includes(scheme)) return `${expected} (got ${scheme}:)`;
  const space = value.search(/\s/);
  if (space !== -1) return `not a valid URL: whitespace at character ${space + 1}`;
  const rest = value.slice(scheme.length + 1);
  // `new URL("http:host")` quietly reads it as http://host/; require the slashes that say what the host is.
  if (!rest.startsWith("//")) return `not a valid URL: expected ${scheme}:// followed by a host`;
  const authority = /^\/\/([^/?#]*)/.exec(rest)?.[1] ?? "";
  // Credentials end at the last "@" (as in the URL standard); what follows is host[:port].
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  const match = HOST_PORT_RE.exec(hostPort);
  if (!match) return `not a valid URL: ${hostPort.startsWith("[") ? "malformed [ ] IPv6 address" : "bad host"}`;
  const [, host = "", port] = match;
  if (host === "") return `not a valid URL: no host after ${scheme}://`;
  // An empty port ("host:") means the default, as in the URL standard.
  if (port !== undefined && port !== "") {
    if (!/^\d+$/.test(port)) return "not a valid URL: the port is not a number";
    const number = Number(port);
    // Digits only, so safe to repeat; cut short in case someone pasted a long number there.
    const shown = port.length > 20 ? `${port.slice(0, 20)}…` : port;
    if (number < 1 || number > 65_535) return `port ${shown} is outside 1-65535`;
  }
  try {
    new URL(value);
  } catch {
    // Scheme, port and shape were fine: what is left for the parser to refuse is the host.
    return "not a valid URL: the host is not a valid name or address";
  }
  return null;
}

/** A URL whose scheme is one of `schemes`, with a host and a port (when written) in 1..65535. */
export const ZUrl = (schemes: readonly string[]) =>
  z.string({ error: "expected a URL" }).superRefine((value, ctx) => {
    const problem = describeUrlProblem(value, schemes);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  });

export const ZHttpUrl = ZUrl(["http", "https"]);
