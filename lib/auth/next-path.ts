// Where to go after signing in: a path on this site, or "/". Browsers and frameworks read a redirect target more
// loosely than a naive check does (a backslash is a slash, a tab or newline is dropped, %5C and %09 are decoded on
// the way), so the target is checked in every form it can take and then rebuilt from its parsed parts.

const BASE = "http://preflight.invalid";

function decodedForms(value: string): string[] {
  const forms = [value];
  let current = value;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      break;
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return "/";
  for (const form of decodedForms(next)) {
    // Control characters (tab, newline, NUL …) and backslashes never belong in a path we send anyone to.
    if (/[\u0000-\u001f\u007f\\]/.test(form)) return "/";
    if (!form.startsWith("/") || form.startsWith("//")) return "/";
  }
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") ? "/" : path;
}
