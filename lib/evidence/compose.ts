import { describeValue } from "./input";
import { quoteText } from "./quote";
import { readYamlStream } from "./yaml";

// A Docker Compose file as CI pushes it (issue "Measured, not attested"): what the file itself says about health
// checks, restart policies, image pins, where state is kept, host namespaces and published ports. Pure: the text in,
// a report out. One file is read the way Compose (compose-go) reads it:
// - YAML merge keys: `<<: *a` and `<<: [*a, *b]`; keys written in the map win over merged ones, and an earlier
//   source in a merge list wins over a later one (compose-go's inlineMergeKeys, as YAML 1.1 defines `<<`).
// - `x-` extensions, at the top and in services, are read by no rule.
// - `!reset` (Compose 2.24) removes the attribute it marks; `!override` is its plain value. Both also act on what
//   `extends` brings in: the base's attribute is dropped before the merge, so `!reset` empties it and `!override`
//   replaces it instead of merging.
// - `extends: { service }` within the file is merged as compose-go does (maps merged, lists appended, command,
//   entrypoint and healthcheck.test replaced, the base's depends_on and volumes_from not inherited); `extends.file`
//   and top-level `include` name other files, which are not here: refused, never judged half-read.
// - Variables: no environment comes with the file. `${VAR:-x}` and `${VAR-x}` read as their default (what runs when
//   the variable is unset), `$$` as `$`; a variable with no default leaves the field unknown, and the rule that
//   reads it reports so rather than guessing.
// It is not a schema validator: fields no rule reads are not looked at (`docker compose config -q` in CI does that).

export const COMPOSE_RULES = ["healthcheck", "restart", "imagePinned", "namedVolumes", "hostNetwork", "ports"] as const;
export type TComposeRule = (typeof COMPOSE_RULES)[number];

export type TComposePort = {
  service: string;
  /** As written, without brackets; null = all interfaces. */
  hostIp: string | null;
  /** Host port or range ("8080", "8000-8010"); null = an ephemeral port. */
  published: string | null;
  /** Container port or range ("80", "8000-8010"): a range is kept as one entry, where compose-go makes one per port. */
  target: string;
  protocol: string;
};

export type TComposeFinding = { rule: TComposeRule; service: string; message: string };

export type TComposeReport = {
  /** Top-level `name:`, as written. */
  name: string | null;
  services: string[];
  /** Published ports, services in file order (at most MAX_COMPOSE_PORTS). */
  ports: TComposePort[];
  /** Per rule: services it applied to, and how many failed. "ports" as computed with options.bindHosts. */
  rules: Record<TComposeRule, { checked: number; failed: number }>;
  /** At most MAX_COMPOSE_FINDINGS, services in file order. */
  findings: TComposeFinding[];
};

export type TParseComposeResult =
  | { ok: true; report: TComposeReport }
  | { ok: false; error: string; malformed: boolean };

/** Where published ports may bind unless a check says otherwise: loopback only. */
export const DEFAULT_BIND_HOSTS: readonly string[] = ["127.0.0.1", "::1"];
export const MAX_COMPOSE_FINDINGS = 1000;
export const MAX_COMPOSE_PORTS = 1000;

type TMap = Record<string, unknown>;

/** A value in the file that Compose would refuse, or that a rule cannot read (422). */
class ComposeRefusal extends Error {}

function refuse(message: string): never {
  throw new ComposeRefusal(message);
}

const isMap = (value: unknown): value is TMap => typeof value === "object" && value !== null && !Array.isArray(value);
const has = (map: TMap, key: string) => Object.hasOwn(map, key);
const present = (map: TMap, key: string) => has(map, key) && map[key] !== null && map[key] !== undefined;

/** Quoted and cut to a length a message can carry. */
const q = (text: string) => quoteText(text.length > 200 ? `${text.slice(0, 200)}…` : text);

function expected(where: string, what: string, value: unknown): never {
  return refuse(`${where}: expected ${what}, got ${describeValue(value)}`);
}

// Compose's own pattern for service names (compose-spec schema, `services` patternProperties).
const SERVICE_NAME = /^[a-zA-Z0-9._-]+$/;

const NO_HEALTHCHECK = "no healthcheck in the compose file (an image HEALTHCHECK cannot be seen here)";
const CONFIG_HINT = "push the output of `docker compose config`, which resolves it";

export function parseCompose(text: string, options: { bindHosts?: readonly string[] } = {}): TParseComposeResult {
  const read = readYamlStream(text, "compose file", { merge: true, allowTags: ["!reset", "!override"] });
  if (!read.ok) return read;
  const documents = read.documents;
  const first = documents[0];
  const hasServices = (value: unknown) => isMap(value) && present(value, "services");
  if (!first || !documents.some((d) => hasServices(d.value)))
    return { ok: false, error: notCompose(first?.value), malformed: true };
  if (documents.length > 1) {
    return {
      ok: false,
      error: `the compose file holds ${documents.length} YAML documents: Preflight reads a compose file as one document, and does not merge several (${CONFIG_HINT} into one)`,
      malformed: false,
    };
  }
  const root = dropTagged(first.value, taggedPaths(first.tags, ["!reset"]), "");
  if (!hasServices(root)) return { ok: false, error: notCompose(root), malformed: true };
  try {
    return { ok: true, report: analyse(root as TMap, first.tags, options.bindHosts ?? DEFAULT_BIND_HOSTS) };
  } catch (error) {
    if (error instanceof ComposeRefusal) return { ok: false, error: error.message, malformed: false };
    throw error;
  }
}

function notCompose(value: unknown): string {
  if (!isMap(value))
    return `not a compose file: expected a map with a top-level "services" key, got ${describeValue(value)}`;
  const keys = Object.keys(value);
  const listed = keys.length === 0 ? "none" : `${keys.slice(0, 5).map(q).join(", ")}${keys.length > 5 ? ", …" : ""}`;
  return `not a compose file: no top-level "services" map (top-level keys: ${listed})`;
}

/** Paths marked with one of `kinds`, by the dotted key path readYamlStream records. */
function taggedPaths(tags: Map<string, string>, kinds: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const [path, tag] of tags) if (kinds.includes(tag)) out.add(path);
  return out;
}

/**
 * A copy of `value` without the keys whose dotted path (from `path`) is in `paths`. Paths count map keys only, not
 * list positions, as readYamlStream records them. Never mutates: merged and aliased maps are shared objects.
 */
function dropTagged(value: unknown, paths: Set<string>, path: string): unknown {
  if (paths.size === 0) return value;
  if (Array.isArray(value)) return value.map((item) => dropTagged(item, paths, path));
  if (!isMap(value)) return value;
  const out: TMap = {};
  for (const [key, item] of Object.entries(value)) {
    const next = path === "" ? key : `${path}.${key}`;
    if (!paths.has(next)) out[key] = dropTagged(item, paths, next);
  }
  return out;
}

function analyse(root: TMap, tags: Map<string, string>, bindHosts: readonly string[]): TComposeReport {
  if (present(root, "include"))
    refuse(
      `include: the file includes other compose files, which are not here: only a single compose file is accepted (${CONFIG_HINT})`,
    );
  const services = root.services;
  if (!isMap(services)) expected("services", "a map of service names to their definitions", services);
  const names = Object.keys(services);
  if (names.length === 0) refuse("services: the compose file defines no service, so there is nothing to check");
  for (const name of names) {
    if (!SERVICE_NAME.test(name))
      refuse(`services: the service name ${q(name)} is not one Compose accepts (letters, digits, ".", "_" and "-")`);
    if (!isMap(services[name])) expected(`services.${name}`, "a map", services[name]);
  }
  const projectName =
    has(root, "name") && root.name !== null
      ? typeof root.name === "string"
        ? root.name
        : expected("name", "a string", root.name)
      : null;
  const declaredVolumes = new Set<string>();
  if (present(root, "volumes")) {
    if (!isMap(root.volumes)) expected("volumes", "a map of volume names", root.volumes);
    for (const name of Object.keys(root.volumes)) declaredVolumes.add(name);
  }

  const resolved = resolveExtends(services as Record<string, TMap>, tags);
  // One-shot services: another service waits for them to complete (a migration job). They are meant to exit, so
  // neither a healthcheck nor a restart policy applies, unless they restart always (then they never complete).
  const awaitedToComplete = new Set<string>();
  for (const name of names) {
    for (const [dependency, condition] of dependsOn(resolved.get(name) as TMap, `services.${name}.depends_on`)) {
      if (condition === "service_completed_successfully") awaitedToComplete.add(dependency);
    }
  }

  const rules = Object.fromEntries(
    COMPOSE_RULES.map((rule) => [rule, { checked: 0, failed: 0 }]),
  ) as TComposeReport["rules"];
  const findings: TComposeFinding[] = [];
  const ports: TComposePort[] = [];
  const judge = (rule: TComposeRule, service: string, messages: string[]) => {
    rules[rule].checked += 1;
    if (messages.length === 0) return;
    rules[rule].failed += 1;
    for (const message of messages)
      if (findings.length < MAX_COMPOSE_FINDINGS) findings.push({ rule, service, message });
  };

  for (const name of names) {
    const service = resolved.get(name) as TMap;
    const where = `services.${name}`;
    const restart = restartPolicy(service, where);
    const oneShot = awaitedToComplete.has(name) && (restart.kind === "off" || restart.kind === "on-failure");
    if (!oneShot) {
      judge("healthcheck", name, healthcheckMessages(service, where));
      judge("restart", name, restart.message === null ? [] : [restart.message]);
    }
    judge("imagePinned", name, imageMessages(service, where));
    const mounts = readMounts(service, where);
    if (mounts.length > 0)
      judge(
        "namedVolumes",
        name,
        mounts.map((mount) => mountMessage(mount, declaredVolumes)).filter((m): m is string => m !== null),
      );
    judge("hostNetwork", name, hostNamespaceMessages(service, where));
    const published = readPorts(service, name, where);
    if (published.ports.length + published.unknown.length > 0) {
      judge("ports", name, [...published.unknown, ...portFindings(published.ports, bindHosts).map((f) => f.message)]);
      for (const port of published.ports) if (ports.length < MAX_COMPOSE_PORTS) ports.push(port);
    }
  }
  return { name: projectName, services: names, ports, rules, findings };
}

// ---------------------------------------------------------------------------------------------------------------
// Variables

type TText = { known: true; text: string } | { known: false; raw: string; variable: string };

const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/**
 * compose-go's interpolation with no environment: `$$` is `$`, `${VAR:-x}` and `${VAR-x}` their default (itself
 * interpolated), `${VAR:+x}` and `${VAR+x}` empty (the variable is unset); `$VAR`, `${VAR}`, `${VAR:?err}` and
 * `${VAR?err}` unknown. A `$` that starts nothing, or an unclosed `${`, is refused as Compose refuses it.
 */
function interpolate(raw: string, where: string): TText {
  const unknown = (variable: string): TText => ({ known: false, raw, variable });
  let out = "";
  let i = 0;
  while (i < raw.length) {
    const char = raw[i] as string;
    if (char !== "$") {
      out += char;
      i += 1;
      continue;
    }
    const next = raw[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
      continue;
    }
    if (next === "{") {
      const end = closingBrace(raw, i + 2);
      if (end < 0) refuse(`${where}: ${q(raw)} opens "\${" and never closes it`);
      const inner = raw.slice(i + 2, end);
      const name = VARIABLE_NAME.exec(inner)?.[0];
      if (name === undefined) refuse(`${where}: ${q(raw)} holds "\${${inner.slice(0, 40)}}", which is not a variable`);
      const rest = inner.slice(name.length);
      const operator = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
      if (rest !== "" && operator === undefined)
        refuse(`${where}: ${q(raw)} holds "\${${inner.slice(0, 40)}}", which is not a variable`);
      if (operator === undefined || operator === ":?" || operator === "?") return unknown(`\${${name}}`);
      if (operator === ":-" || operator === "-") {
        const fallback = interpolate(rest.slice(operator.length), where);
        if (!fallback.known) return unknown(fallback.variable);
        out += fallback.text;
      }
      i = end + 1;
      continue;
    }
    const name = VARIABLE_NAME.exec(raw.slice(i + 1))?.[0];
    if (name !== undefined) return unknown(`$${name}`);
    refuse(`${where}: ${q(raw)} holds a "$" that starts no variable (a literal "$" is written "$$")`);
  }
  return { known: true, text: out };
}

/** The index of the "}" that closes a "${" whose body starts at `from`, counting nested "${…}"; -1 if none. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === "$" && text[i + 1] === "{") {
      depth += 1;
      i += 1;
    } else if (text[i] === "}") {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const unknownMessage = (what: string, text: Extract<TText, { known: false }>) =>
  `${what} ${q(text.raw)} is set by ${text.variable}, which has no default in the file, so it cannot be judged here (${CONFIG_HINT})`;

/** An optional string field, interpolated; undefined when absent or null. */
function readText(map: TMap, key: string, where: string): TText | undefined {
  if (!present(map, key)) return undefined;
  const value = map[key];
  if (typeof value !== "string") expected(`${where}.${key}`, "a string", value);
  return interpolate(value, `${where}.${key}`);
}

/** A field whose value must be known to read the file at all (extends.service). */
function knownText(map: TMap, key: string, where: string): string {
  const text = readText(map, key, where);
  if (text === undefined) refuse(`${where}.${key} is required`);
  if (!text.known)
    refuse(
      `${where}.${key}: ${q(text.raw)} is set by ${text.variable}, which has no default in the file (${CONFIG_HINT})`,
    );
  return text.text;
}

/** Booleans as YAML writes them, or "true"/"false" as interpolation leaves them. */
function readBool(map: TMap, key: string, where: string): boolean | undefined {
  if (!present(map, key)) return undefined;
  const value = map[key];
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const text = interpolate(value, `${where}.${key}`);
    if (text.known && /^(true|false)$/i.test(text.text)) return text.text.toLowerCase() === "true";
  }
  return expected(`${where}.${key}`, "true or false", value);
}

// ---------------------------------------------------------------------------------------------------------------
// extends

/**
 * Each service with its `extends` applied, as compose-go's ApplyExtends: the base is resolved first (recursively,
 * cycles refused), loses depends_on and volumes_from, and loses every attribute this service marks `!reset` or
 * `!override`; then this service is merged over it.
 */
function resolveExtends(services: Record<string, TMap>, tags: Map<string, string>): Map<string, TMap> {
  const done = new Map<string, TMap>();
  const replaced = taggedPaths(tags, ["!reset", "!override"]);
  const visit = (name: string, chain: string[]): TMap => {
    const cached = done.get(name);
    if (cached) return cached;
    if (chain.includes(name))
      refuse(
        `services.${chain[0]}.extends: the services extend each other in a cycle (${[...chain, name].join(" → ")})`,
      );
    const service = services[name] as TMap;
    const where = `services.${name}.extends`;
    if (!present(service, "extends")) {
      done.set(name, service);
      return service;
    }
    const extend = service.extends;
    let ref: string;
    if (typeof extend === "string") ref = knownText(service, "extends", `services.${name}`);
    else if (isMap(extend)) {
      if (present(extend, "file")) {
        const file = typeof extend.file === "string" ? q(extend.file) : describeValue(extend.file);
        refuse(
          `${where}.file: the service extends one in another file (${file}), which is not here: only a single compose file is accepted (${CONFIG_HINT})`,
        );
      }
      ref = knownText(extend, "service", where);
    } else return expected(where, "a service name or a map with service", extend);
    if (!has(services, ref)) refuse(`${where}: extends the service ${q(ref)}, which this file does not define`);
    const base = visit(ref, [...chain, name]);
    const inherited = dropTagged(omit(base, ["depends_on", "volumes_from"]), replaced, `services.${name}`);
    const merged = mergeValue(inherited, omit(service, ["extends"]), "") as TMap;
    done.set(name, merged);
    return merged;
  };
  for (const name of Object.keys(services)) visit(name, []);
  return done;
}

const omit = (map: TMap, keys: readonly string[]): TMap =>
  Object.fromEntries(Object.entries(map).filter(([key]) => !keys.includes(key)));

/** Attributes whose value replaces the base's instead of merging with it (compose-go override/merge.go). */
const REPLACED_ON_MERGE = new Set(["command", "entrypoint", "healthcheck.test"]);

function mergeValue(base: unknown, over: unknown, path: string): unknown {
  if (REPLACED_ON_MERGE.has(path)) return over;
  if (isMap(base) && isMap(over)) {
    const out: TMap = { ...base };
    for (const [key, value] of Object.entries(over)) {
      out[key] =
        has(base, key) && !key.startsWith("x-")
          ? mergeValue(base[key], value, path === "" ? key : `${path}.${key}`)
          : value;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) return [...base, ...over];
  return over;
}

/**
 * compose-go's EnforceUnicity: in a list where each entry has a key (a volume's target, a port's binding), a later
 * entry replaces an earlier one with the same key, in the earlier one's place.
 */
function unique<T>(entries: T[], keyOf: (entry: T) => string): T[] {
  const out: T[] = [];
  const at = new Map<string, number>();
  for (const entry of entries) {
    const key = keyOf(entry);
    const index = at.get(key);
    if (index === undefined) {
      at.set(key, out.length);
      out.push(entry);
    } else out[index] = entry;
  }
  return out;
}

function dependsOn(service: TMap, where: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!present(service, "depends_on")) return out;
  const value = service.depends_on;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item !== "string") expected(`${where}[${index}]`, "a service name", item);
      out.set(item, "service_started");
    });
  } else if (isMap(value)) {
    for (const [dependency, spec] of Object.entries(value)) {
      if (spec === null) out.set(dependency, "service_started");
      else if (!isMap(spec)) expected(`${where}.${dependency}`, "a map", spec);
      else {
        const condition = readText(spec, "condition", `${where}.${dependency}`);
        out.set(dependency, condition?.known ? condition.text : "service_started");
      }
    }
  } else expected(where, "a list or a map of services", value);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// healthcheck and restart

function healthcheckMessages(service: TMap, where: string): string[] {
  if (!present(service, "healthcheck")) return [NO_HEALTHCHECK];
  const healthcheck = service.healthcheck;
  if (!isMap(healthcheck)) return expected(`${where}.healthcheck`, "a map", healthcheck);
  if (readBool(healthcheck, "disable", `${where}.healthcheck`) === true)
    return ["the healthcheck is disabled (disable: true)"];
  const noTest =
    "the healthcheck sets no test, so the image's HEALTHCHECK applies if it has one, which cannot be seen here";
  if (!present(healthcheck, "test")) return [noTest];
  const test = healthcheck.test;
  // A string is the shell form (compose-go makes it ["CMD-SHELL", test]).
  if (typeof test === "string") return test.trim() === "" ? [noTest] : [];
  if (!Array.isArray(test) || !test.every((part) => typeof part === "string"))
    return expected(`${where}.healthcheck.test`, "a string or a list of strings", test);
  const [kind, ...command] = test as string[];
  if (kind === undefined) return [noTest];
  if (kind === "NONE") return ['the healthcheck is disabled (test: ["NONE"])'];
  if (kind !== "CMD" && kind !== "CMD-SHELL")
    return [`the healthcheck test starts with ${q(kind)}: Docker reads CMD, CMD-SHELL or NONE first`];
  return command.join("").trim() === "" ? [`the healthcheck test is ${kind} with no command`] : [];
}

type TRestart = { kind: "always" | "on-failure" | "off" | "unknown"; message: string | null };

const STAYS_DOWN = "the container stays down after it exits or the host reboots";

/**
 * The restart policy Docker Compose applies: deploy.restart_policy when present (it wins over `restart`, as in
 * compose's getRestartPolicy), else `restart`, whose default is "no".
 */
function restartPolicy(service: TMap, where: string): TRestart {
  const deploy = present(service, "deploy") ? service.deploy : undefined;
  if (deploy !== undefined && !isMap(deploy)) return expected(`${where}.deploy`, "a map", deploy);
  if (deploy && present(deploy, "restart_policy")) {
    const policy = deploy.restart_policy;
    if (!isMap(policy)) return expected(`${where}.deploy.restart_policy`, "a map", policy);
    const condition = readText(policy, "condition", `${where}.deploy.restart_policy`);
    if (condition === undefined)
      return { kind: "unknown", message: "deploy.restart_policy names no condition: set condition: any or on-failure" };
    if (!condition.known)
      return { kind: "unknown", message: unknownMessage("deploy.restart_policy.condition", condition) };
    return classifyRestart(condition.text, "deploy.restart_policy.condition", ["none", "on-failure", "any"]);
  }
  const restart = readText(service, "restart", where);
  if (restart === undefined)
    return { kind: "off", message: `no restart policy: Compose's default is "no", so ${STAYS_DOWN}` };
  if (!restart.known) return { kind: "unknown", message: unknownMessage("restart", restart) };
  return classifyRestart(restart.text, "restart", ["no", "always", "on-failure[:N]", "unless-stopped"]);
}

function classifyRestart(value: string, field: string, known: string[]): TRestart {
  // compose maps deploy's conditions onto the engine's policies: any is always, none is no.
  if (value === "always" || value === "unless-stopped" || value === "any") return { kind: "always", message: null };
  if (value === "on-failure" || /^on-failure:\d+$/.test(value)) return { kind: "on-failure", message: null };
  if (value === "no" || value === "none") return { kind: "off", message: `${field}: ${q(value)}: ${STAYS_DOWN}` };
  return { kind: "unknown", message: `${field}: ${q(value)} is not a restart policy (${known.join(", ")})` };
}

// ---------------------------------------------------------------------------------------------------------------
// imagePinned

// distribution/reference's grammar: [domain[:port]/]path[:tag][@digest].
const DOMAIN =
  /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** The tag and digest of an image reference, or null if it is not one. `host:5000/app` has a port, not a tag. */
export function parseImageReference(reference: string): { tag: string | null; digest: string | null } | null {
  let name = reference;
  let digest: string | null = null;
  const at = name.indexOf("@");
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
    if (!DIGEST.test(digest) || (digest.startsWith("sha256:") && digest.length !== 7 + 64)) return null;
  }
  let tag: string | null = null;
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/")) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!TAG.test(tag)) return null;
  }
  if (name.length === 0 || name.length > 255) return null;
  const parts = name.split("/");
  const [head] = parts;
  // As Docker decides: the first part is a registry when it has a dot or a port, or is localhost.
  const hasDomain =
    parts.length > 1 && head !== undefined && (/[.:]/.test(head) || head === "localhost" || /[A-Z]/.test(head));
  if (hasDomain && !DOMAIN.test(head)) return null;
  if (!(hasDomain ? parts.slice(1) : parts).every((part) => PATH_COMPONENT.test(part))) return null;
  return { tag, digest };
}

function imageMessages(service: TMap, where: string): string[] {
  const image = readText(service, "image", where);
  const built = present(service, "build");
  if (built && typeof service.build !== "string" && !isMap(service.build))
    return expected(`${where}.build`, "a build context or a map", service.build);
  if (image === undefined || (image.known && image.text === "")) {
    if (!built) refuse(`${where}: has neither image nor build, so Compose cannot run it`);
    // Built from the source next to the file, not pulled: no tag to pin.
    return [];
  }
  // With both, Compose pulls the image first and builds only if it is missing, unless pull_policy says build.
  const pull = readText(service, "pull_policy", where);
  if (built && pull?.known && pull.text === "build") return [];
  if (!image.known) return [unknownMessage("the image", image)];
  const reference = parseImageReference(image.text);
  if (reference === null) return [`the image ${q(image.text)} is not a valid image reference`];
  if (reference.digest !== null) return [];
  if (reference.tag === null)
    return [
      `the image ${q(image.text)} has no tag, so it runs whatever "latest" is when pulled: pin a version tag or a digest`,
    ];
  if (reference.tag === "latest")
    return [`the image ${q(image.text)} uses the tag "latest", which moves: pin a version tag or a digest`];
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// namedVolumes

type TMount =
  | {
      known: true;
      type: "volume" | "bind" | "tmpfs" | "npipe" | "cluster" | "image";
      source: string | null;
      target: string;
      readOnly: boolean;
    }
  | { known: false; message: string; key: string };

const MOUNT_TYPES = ["volume", "bind", "tmpfs", "npipe", "cluster", "image"] as const;

function readMounts(service: TMap, where: string): TMount[] {
  if (!present(service, "volumes")) return [];
  const volumes = service.volumes;
  if (!Array.isArray(volumes)) return expected(`${where}.volumes`, "a list", volumes);
  const mounts = volumes.map((entry, index): TMount => {
    const at = `${where}.volumes[${index}]`;
    if (typeof entry === "string") {
      const spec = interpolate(entry, at);
      if (!spec.known) return { known: false, message: unknownMessage("the volume", spec), key: entry };
      const parsed = parseVolumeSpec(spec.text);
      if (typeof parsed === "string") refuse(`${at}: ${q(spec.text)} is not a volume (${parsed})`);
      return { known: true, ...parsed };
    }
    if (!isMap(entry)) return expected(at, "a volume as a string or a map", entry);
    const type = readText(entry, "type", at);
    if (type === undefined) refuse(`${at}.type is required in the long syntax (one of ${MOUNT_TYPES.join(", ")})`);
    if (!type.known)
      return { known: false, message: unknownMessage("the volume type", type), key: JSON.stringify(entry) };
    const kind = MOUNT_TYPES.find((t) => t === type.text);
    if (kind === undefined) refuse(`${at}.type: ${q(type.text)} is not a mount type (${MOUNT_TYPES.join(", ")})`);
    const source = readText(entry, "source", at);
    if (source && !source.known)
      return { known: false, message: unknownMessage("the volume source", source), key: JSON.stringify(entry) };
    const target = readText(entry, "target", at);
    if (target === undefined) refuse(`${at}.target is required`);
    if (!target.known)
      return { known: false, message: unknownMessage("the volume target", target), key: JSON.stringify(entry) };
    const sourcePath = source?.known && source.text !== "" ? source.text : null;
    return {
      known: true,
      type: kind,
      source: sourcePath,
      target: target.text,
      readOnly: readBool(entry, "read_only", at) ?? false,
    };
  });
  // A volume's key is its target in the container (compose-go's volumeIndexer).
  return unique(mounts, (mount) => (mount.known ? `target:${mount.target}` : `raw:${mount.key}`));
}

/**
 * The short syntax as compose-go's format.ParseVolume reads it: `[source:]target[:options]`, a Windows drive letter
 * kept with its colon; a source that starts with ".", "/", "~", "\\\\" or a drive is a host path (bind), any other
 * a named volume, none an anonymous volume. Of the options, only ro/rw matter here. A string is an error.
 */
export function parseVolumeSpec(
  spec: string,
): { type: "volume" | "bind"; source: string | null; target: string; readOnly: boolean } | string {
  if (spec.length === 0) return "invalid empty volume spec";
  if (spec.length <= 2) return { type: "volume", source: null, target: spec, readOnly: false };
  let source = "";
  let target = "";
  let readOnly = false;
  let buffer = "";
  let depth = 0;
  const chars = [...spec];
  for (let i = 0; i <= chars.length; i += 1) {
    const char = chars[i];
    if (char === "$" && chars[i + 1] === "{") {
      depth += 1;
      buffer += char;
      continue;
    }
    if (char === "}" && depth > 0) {
      depth -= 1;
      buffer += char;
      continue;
    }
    const atEnd = char === undefined;
    if (char === ":" && [...buffer].length === 1 && /\p{L}/u.test(buffer)) {
      buffer += char;
    } else if ((char === ":" || atEnd) && depth === 0) {
      if (buffer === "") return "empty section between colons";
      if (source === "" && atEnd) target = buffer;
      else if (source === "") source = buffer;
      else if (target === "") target = buffer;
      else if (!atEnd) return "too many colons";
      else {
        for (const option of buffer.split(",")) {
          if (option === "ro") readOnly = true;
          else if (option === "rw") readOnly = false;
        }
      }
      buffer = "";
    } else if (!atEnd) buffer += char;
  }
  return { type: isHostPath(source) ? "bind" : "volume", source: source === "" ? null : source, target, readOnly };
}

function isHostPath(source: string): boolean {
  if (source === "") return false;
  if (/^[./~]/.test(source) || source.startsWith("\\\\")) return true;
  const [first, second] = [...source];
  return first !== undefined && second === ":" && /\p{L}/u.test(first);
}

function mountMessage(mount: TMount, declared: Set<string>): string | null {
  if (!mount.known) return mount.message;
  const target = q(mount.target);
  switch (mount.type) {
    case "tmpfs":
    case "image":
      return null;
    case "bind":
    case "npipe":
      return mount.readOnly
        ? null
        : `writable bind mount of the host path ${q(mount.source ?? "")} at ${target}: state in a host path, outside Compose's volumes (mount it read-only, or use a named volume)`;
    case "volume":
    case "cluster":
      if (mount.source === null)
        return `an anonymous volume at ${target}: its data is left behind at the next docker compose down and up, under no name (use a named volume)`;
      return declared.has(mount.source)
        ? null
        : `the named volume ${q(mount.source)} at ${target} is not declared under the top-level volumes:, and Compose refuses an undeclared volume`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// hostNetwork

function hostNamespaceMessages(service: TMap, where: string): string[] {
  const messages: string[] = [];
  const shares: [string, string][] = [
    [
      "network_mode",
      "the host's network stack: every port it listens on is open on the host, and no Compose network isolates it",
    ],
    ["pid", "the host's process namespace: it sees and can signal every process on the host"],
    ["ipc", "the host's IPC namespace (shared memory and semaphores)"],
  ];
  for (const [field, what] of shares) {
    const value = readText(service, field, where);
    if (value === undefined) continue;
    if (!value.known) messages.push(unknownMessage(field, value));
    else if (value.text === "host") messages.push(`${field}: host: the container shares ${what}`);
  }
  return messages;
}

// ---------------------------------------------------------------------------------------------------------------
// ports

type TPortSpec = Omit<TComposePort, "service">;

/**
 * The short syntax as compose-go reads it (types.ParsePortConfig, docker/go-connections nat.ParsePortSpec):
 * `[[ip:]published:]target[/protocol]`, split on ":" with everything before the last two parts the IP (so IPv6
 * works bare or in brackets); ranges as `start-end`; a host range with a single container port is a range to pick
 * from. A string is an error, worded as nat's.
 */
export function parsePortSpec(raw: string): TPortSpec | string {
  const parts = raw.split(":");
  const n = parts.length;
  const containerPart = parts[n - 1] as string;
  const hostPort = n >= 2 ? (parts[n - 2] as string) : "";
  let ip = n >= 3 ? parts.slice(0, n - 2).join(":") : "";
  const slash = containerPart.indexOf("/");
  const port = slash < 0 ? containerPart : containerPart.slice(0, slash);
  if (port === "") return `no port specified: ${raw}<empty>`;
  const protocol = (
    slash < 0 || containerPart.slice(slash + 1) === "" ? "tcp" : containerPart.slice(slash + 1)
  ).toLowerCase();
  if (!["tcp", "udp", "sctp"].includes(protocol)) return `invalid proto: ${protocol}`;
  if (ip.startsWith("[")) {
    const bracketed = /^\[([^[\]]*)\]$/.exec(ip);
    if (!bracketed) return `invalid IP address ${ip}`;
    ip = bracketed[1] as string;
  }
  if (ip !== "" && !isIpAddress(ip)) return `invalid IP address: ${ip}`;
  const container = parsePortRange(port);
  if (container === null) return `invalid containerPort: ${port}`;
  let published: string | null = null;
  if (hostPort !== "") {
    const host = parsePortRange(hostPort);
    if (host === null) return `invalid hostPort: ${hostPort}`;
    if (container[1] - container[0] !== host[1] - host[0] && container[1] !== container[0])
      return `invalid ranges specified for container and host Ports: ${port} and ${hostPort}`;
    published = host[0] === host[1] ? `${host[0]}` : `${host[0]}-${host[1]}`;
  }
  const target = container[0] === container[1] ? `${container[0]}` : `${container[0]}-${container[1]}`;
  return { hostIp: ip === "" ? null : ip, published, target, protocol };
}

/** nat.ParsePortRange: "N" or "N-M" (parts after a second "-" ignored, as nat does), each 0–65535, M ≥ N. */
function parsePortRange(text: string): [number, number] | null {
  const number = (part: string | undefined) =>
    part !== undefined && /^\d+$/.test(part) && Number(part) <= 65535 ? Number(part) : null;
  if (!text.includes("-")) {
    const value = number(text);
    return value === null ? null : [value, value];
  }
  const [startText, endText] = text.split("-");
  const start = number(startText);
  const end = number(endText);
  return start === null || end === null || end < start ? null : [start, end];
}

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** As Go's net.ParseIP: dotted IPv4 without leading zeros, or IPv6 (no zone). */
function isIpAddress(text: string): boolean {
  if (IPV4.test(text)) return true;
  if (!text.includes(":") || !/^[0-9a-fA-F:.]+$/.test(text)) return false;
  try {
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/** One spelling per address, so "::1" and "0:0:0:0:0:0:0:1" compare equal. */
function canonicalIp(text: string): string {
  if (!text.includes(":") || !/^[0-9a-fA-F:.]+$/.test(text)) return text.toLowerCase();
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return text.toLowerCase();
  }
}

function readPorts(service: TMap, name: string, where: string): { ports: TComposePort[]; unknown: string[] } {
  if (!present(service, "ports")) return { ports: [], unknown: [] };
  const list = service.ports;
  if (!Array.isArray(list)) return expected(`${where}.ports`, "a list", list);
  type TEntry = { key: string; port: TPortSpec } | { key: string; unknown: string };
  const entries = list.map((entry, index): TEntry => {
    const at = `${where}.ports[${index}]`;
    if (typeof entry === "number" || typeof entry === "string") {
      const raw = String(entry);
      const text = interpolate(raw, at);
      if (!text.known) return { key: raw, unknown: unknownMessage("the port", text) };
      const port = parsePortSpec(text.text);
      if (typeof port === "string") refuse(`${at}: ${q(text.text)} is not a port mapping (${port})`);
      return { key: raw, port };
    }
    if (!isMap(entry)) return expected(at, "a port as a string, a number or a map", entry);
    return longPort(entry, at);
  });
  const ports: TComposePort[] = [];
  const unknown: string[] = [];
  for (const entry of unique(entries, (e) => e.key)) {
    if ("unknown" in entry) unknown.push(entry.unknown);
    else ports.push({ service: name, ...entry.port });
  }
  return { ports, unknown };
}

/** The long syntax: target, published, host_ip, protocol (mode, name and app_protocol do not change the binding). */
function longPort(entry: TMap, at: string): { key: string; port: TPortSpec } | { key: string; unknown: string } {
  const field = (key: string): TText | undefined => {
    if (!present(entry, key)) return undefined;
    const value = entry[key];
    if (typeof value === "number") return { known: true, text: String(value) };
    return readText(entry, key, at);
  };
  const target = field("target");
  const published = field("published");
  const hostIp = readText(entry, "host_ip", at);
  const protocolText = readText(entry, "protocol", at);
  // compose-go's portIndexer key: host_ip:published:target/protocol.
  const key = `${hostIp?.known ? hostIp.text : "0.0.0.0"}:${published?.known ? published.text : ""}:${target?.known ? target.text : ""}/${protocolText?.known ? protocolText.text : "tcp"}`;
  for (const [name, text] of [
    ["target", target],
    ["published", published],
    ["host_ip", hostIp],
    ["protocol", protocolText],
  ] as const) {
    if (text && !text.known) return { key, unknown: unknownMessage(`the port's ${name}`, text) };
  }
  if (!target?.known) refuse(`${at}.target is required`);
  const range = parsePortRange(target.text);
  if (range === null) refuse(`${at}.target: ${q(target.text)} is not a port`);
  let publishedText: string | null = null;
  if (published?.known && published.text !== "") {
    const host = parsePortRange(published.text);
    if (host === null) refuse(`${at}.published: ${q(published.text)} is not a port or a port range`);
    publishedText = host[0] === host[1] ? `${host[0]}` : `${host[0]}-${host[1]}`;
  }
  const ip = hostIp?.known && hostIp.text !== "" ? hostIp.text : null;
  if (ip !== null && !isIpAddress(ip)) refuse(`${at}.host_ip: ${q(ip)} is not an IP address`);
  const protocol = protocolText?.known && protocolText.text !== "" ? protocolText.text.toLowerCase() : "tcp";
  if (!["tcp", "udp", "sctp"].includes(protocol)) refuse(`${at}.protocol: ${q(protocol)} is not tcp, udp or sctp`);
  return {
    key,
    port: {
      hostIp: ip,
      published: publishedText,
      target: range[0] === range[1] ? `${range[0]}` : `${range[0]}-${range[1]}`,
      protocol,
    },
  };
}

/** Port findings for other allowed host addresses, from the stored ports (a check may configure its own). */
export function portFindings(ports: TComposePort[], bindHosts: readonly string[]): TComposeFinding[] {
  const allowed = new Set(bindHosts.map(canonicalIp));
  // No address (all interfaces) is allowed only where a check allows the wildcard itself.
  const allInterfacesAllowed = allowed.has("0.0.0.0") || allowed.has("::");
  const only = bindHosts.length === 0 ? "and no host address is allowed" : `not only on ${bindHosts.join(" or ")}`;
  const findings: TComposeFinding[] = [];
  for (const port of ports) {
    if (port.hostIp === null ? allInterfacesAllowed : allowed.has(canonicalIp(port.hostIp))) continue;
    const ip = port.hostIp === null ? null : canonicalIp(port.hostIp);
    const where =
      port.hostIp === null
        ? "all interfaces"
        : ip === "0.0.0.0"
          ? `${port.hostIp} (every IPv4 interface)`
          : ip === "::"
            ? `${port.hostIp} (every interface)`
            : port.hostIp;
    const host = port.published === null ? "an ephemeral host port" : `host port ${port.published}`;
    if (findings.length < MAX_COMPOSE_FINDINGS)
      findings.push({
        rule: "ports",
        service: port.service,
        message: `${host} → ${port.target}/${port.protocol} is published on ${where}, ${only}`,
      });
  }
  return findings;
}
