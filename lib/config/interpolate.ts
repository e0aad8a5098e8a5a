// `${VAR}` and `${VAR:-default}` in any string value of the configuration are replaced from the
// environment. Interpolation runs on parsed values, never on the YAML text, so a secret cannot change the
// document's structure. `$${` escapes a literal `${`.
const VAR_RE = /\$(\$?)\{([^}]*)\}/g;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type InterpolationIssue = { path: (string | number)[]; message: string };

export type InterpolationResult = {
  value: unknown;
  issues: InterpolationIssue[];
  /** Values that came from the environment: never shown on a page or in a log. */
  secrets: Set<string>;
};

export function interpolateEnv(input: unknown, env: Record<string, string | undefined>): InterpolationResult {
  const issues: InterpolationIssue[] = [];
  const secrets = new Set<string>();

  const visit = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === "string") return interpolateString(value, path);
    if (Array.isArray(value)) return value.map((item, i) => visit(item, [...path, i]));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      // defineProperty, not `out[key] =`: a "__proto__" key must stay a key (the schema refuses it as unknown)
      // rather than become the prototype, through which a schema would read fields that are not in the file.
      for (const [key, item] of Object.entries(value)) {
        const property = { value: visit(item, [...path, key]), enumerable: true, writable: true, configurable: true };
        Object.defineProperty(out, key, property);
      }
      return out;
    }
    return value;
  };

  const interpolateString = (text: string, path: (string | number)[]): string =>
    text.replace(VAR_RE, (whole: string, escape: string, body: string) => {
      if (escape) return whole.slice(1);
      const sep = body.indexOf(":-");
      const name = sep === -1 ? body : body.slice(0, sep);
      const fallback = sep === -1 ? undefined : body.slice(sep + 2);
      if (!NAME_RE.test(name)) {
        issues.push({
          path,
          message: `"\${${body}}" is not a valid variable reference (expected \${NAME} or \${NAME:-default})`,
        });
        return whole;
      }
      const fromEnv = env[name];
      if (fromEnv !== undefined && fromEnv !== "") {
        if (fromEnv.length > 0) secrets.add(fromEnv);
        return fromEnv;
      }
      if (fallback !== undefined) return fallback;
      issues.push({ path, message: `environment variable ${name} is not set (referenced as \${${name}})` });
      return whole;
    });

  return { value: visit(input, []), issues, secrets };
}
