import type { z } from "zod";
import { quoteText } from "./quote";

// Evidence is refused with one message that a person in a CI log can act on: the path of the first bad field, as
// they would write it in JavaScript, and what was wrong with it.

export const ZID_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
export const ID_ERROR = "expected an id of lowercase letters, digits and dashes, starting with a letter";

const IDENTIFIER_RE = /^[A-Za-z_$][\w$]*$/;

/** ["metrics", "http_req_duration", "values", "p(95)"] -> metrics.http_req_duration.values["p(95)"] */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else if (typeof key === "string" && IDENTIFIER_RE.test(key)) text += text === "" ? key : `.${key}`;
    else text += `[${quoteText(String(key))}]`;
  }
  return text === "" ? "(top level)" : text;
}

export function formatIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): string {
  if (issue.code === "unrecognized_keys") {
    const [key = "", ...others] = issue.keys;
    const more = others.length === 0 ? "" : ` (and the unknown keys ${others.map(quoteText).join(", ")})`;
    return `${formatIssuePath([...prefix, ...issue.path, key])}: unknown key, refused rather than dropped${more}`;
  }
  const message = issue.message.replace(/^Invalid input: /, "");
  return `${formatIssuePath([...prefix, ...issue.path])}: ${message}`;
}

/** The first issue, and how many more there are: fixing one at a time is how people work through these. */
export function formatZodError(error: z.ZodError, prefix: readonly PropertyKey[] = []): string {
  const [first, ...rest] = error.issues;
  if (first === undefined) return "invalid input";
  return rest.length === 0 ? formatIssue(first, prefix) : `${formatIssue(first, prefix)} (and ${rest.length} more)`;
}

/** Field errors for a form: the dotted path of each issue, its messages. */
export function collectFieldErrors(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    // An unknown key is filed under its own name, where the person who sent it will look.
    if (issue.code === "unrecognized_keys") {
      for (const name of issue.keys)
        (fields[[...issue.path, name].map(String).join(".")] ??= []).push(
          "unknown key: not a field Preflight reads, refused rather than dropped",
        );
      continue;
    }
    const key = issue.path.length === 0 ? "_form" : issue.path.map(String).join(".");
    (fields[key] ??= []).push(issue.message.replace(/^Invalid input: /, ""));
  }
  return fields;
}
