import { describeValue } from "./input";
import { quoteText } from "./quote";
import { readYamlStream } from "./yaml";

// Rendered Kubernetes manifests (`helm template`, `kubectl kustomize`: a `---` stream, or `kind: List` with `items`)
// analysed with built-in rules, so "manifests are production-ready" is measured rather than attested. Pure: the
// pushed text in, a report out; nothing is fetched and no cluster is asked.
//
// Objects are read as the API server would read them where a rule depends on it: `spec.replicas` absent is 1,
// resource requests absent are the limits, probe fields absent are their defaults, an absent NetworkPolicy
// podSelector selects every pod. Fields a rule reads are strict (a replicas of "three" is refused, as the API
// server would refuse it); fields and kinds no rule reads (CRDs included) are counted and otherwise left alone.
// The rules follow kube-score's checks where it has one; README "Kubernetes manifests" lists each decision and
// each difference.

export const MANIFEST_RULES = [
  "resources",
  "probes",
  "replicas",
  "disruptionBudget",
  "networkPolicy",
  "imagePinned",
  "runAsNonRoot",
  "privileged",
  "serviceMonitor",
] as const;
export type TManifestRule = (typeof MANIFEST_RULES)[number];

/** An object as the report names it: namespace "default" (or options.defaultNamespace) when the object gives none. */
export type TManifestObjectRef = { kind: string; namespace: string; name: string };

export type TManifestFinding = TManifestObjectRef & {
  rule: TManifestRule;
  container: string | null;
  message: string;
  /** Line of the object's document in the pushed file (for an item of a `List`, the List's line). */
  line: number | null;
};

export type TManifestWorkload = TManifestObjectRef & {
  /** Lowest number of pods it runs: spec.replicas (1 when absent), an HPA's minReplicas when one scales it, 1 for a bare Pod; null for DaemonSets, Jobs and CronJobs. */
  replicas: number | null;
  line: number | null;
};

export type TManifestReport = {
  objects: number;
  byKind: Record<string, number>;
  workloads: TManifestWorkload[];
  /** Per rule: objects it applied to, and how many of them failed it. For "replicas", computed with options.minReplicas. */
  rules: Record<TManifestRule, { checked: number; failed: number }>;
  /** In document order, at most MAX_MANIFEST_FINDINGS; `rules` counts every failure, kept or not. */
  findings: TManifestFinding[];
};

export type TParseManifestsResult =
  | { ok: true; report: TManifestReport }
  | { ok: false; error: string; malformed: boolean };

export type TParseManifestsOptions = { minReplicas?: number; defaultNamespace?: string };

/** Findings kept per report: enough to read and fix, not an archive. */
export const MAX_MANIFEST_FINDINGS = 1000;
/** Objects per manifest at most, `List` items included (a rendered chart is a few hundred). */
export const MAX_MANIFEST_OBJECTS = 5000;
/**
 * Label requirements evaluated per manifest at most. Matching is workloads × selectors × requirements; a real
 * manifest needs well under a million, and the cap keeps a crafted one from holding a core for minutes.
 */
export const MAX_LABEL_COMPARISONS = 20_000_000;
const MESSAGE_MAX = 500;

const REPLICATED_KINDS = new Set(["Deployment", "StatefulSet", "ReplicaSet"]);
/** The workload kinds and the one apiVersion each is read under; the same kind in another group is a CRD. */
const WORKLOAD_API: Record<string, string> = {
  Deployment: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  ReplicaSet: "apps/v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
  Pod: "v1",
};
/** Port names that say "scrape me", as the Prometheus Operator's and kube-prometheus' manifests name them. */
const isMetricsPortName = (name: string) => name === "metrics" || name === "prometheus" || name.endsWith("-metrics");

// ---------------------------------------------------------------------------------------------------------------
// Reading, strictly where a rule reads

type TObj = Record<string, unknown>;

/** A refusal (422) naming the object and the field; thrown while reading, caught once in parseManifests. */
class ManifestRefusal extends Error {}

const isObject = (value: unknown): value is TObj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A field's value; null counts as absent, as Kubernetes' JSON decoding treats it. */
function field(obj: TObj, key: string): unknown {
  if (!Object.hasOwn(obj, key)) return undefined;
  const value = obj[key];
  return value === null ? undefined : value;
}

function got(value: unknown): string {
  const kind = describeValue(value);
  if (typeof value === "string") return `${kind} (${quoteText(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === "number" || typeof value === "boolean") return `${kind} (${String(value)})`;
  return kind;
}

/** Reads the fields of one object, naming it and the path in every refusal. */
class Reader {
  constructor(readonly at: string) {}

  refuse(path: string, message: string): never {
    throw new ManifestRefusal(`${this.at}: ${path}: ${message}`);
  }

  object(value: unknown, path: string): TObj | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) this.refuse(path, `expected an object, got ${got(value)}`);
    return value;
  }

  array(value: unknown, path: string): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.refuse(path, `expected a list, got ${got(value)}`);
    return value;
  }

  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") this.refuse(path, `expected a string, got ${got(value)}`);
    return value;
  }

  int(value: unknown, path: string, min = 0): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isSafeInteger(value))
      this.refuse(path, `expected an integer, got ${got(value)}`);
    if (value < min) this.refuse(path, `expected an integer of at least ${min}, got ${value}`);
    return value;
  }

  bool(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") {
      // Kubernetes' own YAML reader is YAML 1.1, where yes/no/on/off are booleans; here (YAML 1.2) they are strings.
      const yaml11 = typeof value === "string" && /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/.test(value);
      this.refuse(
        path,
        `expected true or false, got ${got(value)}${yaml11 ? "; write true or false (YAML 1.1's yes/no/on/off are not booleans in YAML 1.2)" : ""}`,
      );
    }
    return value;
  }

  /** A map of strings, as labels, annotations and a Service's selector are; {} when absent. */
  stringMap(value: unknown, path: string): Record<string, string> {
    const obj = this.object(value, path);
    if (!obj) return {};
    const out: Record<string, string> = {};
    for (const [key, item] of Object.entries(obj)) {
      if (typeof item !== "string")
        this.refuse(`${path}.${key}`, `expected a string, got ${got(item)} (quote numbers and booleans in labels)`);
      out[key] = item;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Label selectors, as k8s.io/apimachinery matches them

type TRequirement = { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values: readonly string[] };
/** null matches nothing; no requirements at all (`{}`) matches everything. */
type TSelector = { requirements: TRequirement[] } | null;

const OPERATORS = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

function readLabelSelector(r: Reader, value: unknown, path: string): TSelector {
  const obj = r.object(value, path);
  if (!obj) return null;
  const requirements: TRequirement[] = [];
  for (const [key, v] of Object.entries(r.stringMap(field(obj, "matchLabels"), `${path}.matchLabels`)))
    requirements.push({ key, operator: "In", values: [v] });
  const expressions = r.array(field(obj, "matchExpressions"), `${path}.matchExpressions`) ?? [];
  expressions.forEach((item, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const expression = r.object(item, at) ?? r.refuse(at, "expected a requirement {key, operator, values}, got null");
    const key = r.string(field(expression, "key"), `${at}.key`) ?? r.refuse(`${at}.key`, "expected the label key");
    const operator =
      r.string(field(expression, "operator"), `${at}.operator`) ??
      r.refuse(`${at}.operator`, "expected In, NotIn, Exists or DoesNotExist");
    if (!OPERATORS.has(operator))
      r.refuse(
        `${at}.operator`,
        `${quoteText(operator)} is not a label selector operator: expected In, NotIn, Exists or DoesNotExist`,
      );
    const values = (r.array(field(expression, "values"), `${at}.values`) ?? []).map(
      (v, j) => r.string(v, `${at}.values[${j}]`) ?? r.refuse(`${at}.values[${j}]`, "expected a string, got null"),
    );
    // As LabelSelectorAsSelector validates: In and NotIn need values, Exists and DoesNotExist take none.
    if ((operator === "In" || operator === "NotIn") && values.length === 0)
      r.refuse(`${at}.values`, `operator ${operator} needs at least one value`);
    if ((operator === "Exists" || operator === "DoesNotExist") && values.length > 0)
      r.refuse(`${at}.values`, `operator ${operator} takes no values, got ${values.length}`);
    requirements.push({ key, operator: operator as TRequirement["operator"], values });
  });
  return { requirements };
}

/** A Service's selector (a plain map) as a label selector. */
const mapSelector = (labels: Record<string, string>): TSelector => ({
  requirements: Object.entries(labels).map(([key, v]) => ({ key, operator: "In" as const, values: [v] })),
});

/** Counts label comparisons for the whole parse, so a crafted manifest cannot make matching quadratic for long. */
class Matcher {
  private left = MAX_LABEL_COMPARISONS;

  matches(selector: TSelector, labels: Readonly<Record<string, string>>): boolean {
    if (selector === null) return false;
    for (const requirement of selector.requirements) {
      this.left -= 1;
      if (this.left < 0)
        throw new ManifestRefusal(
          `the manifest's label selectors need more than ${MAX_LABEL_COMPARISONS} comparisons to match: not analysed`,
        );
      const has = Object.hasOwn(labels, requirement.key);
      const value = has ? labels[requirement.key] : undefined;
      switch (requirement.operator) {
        case "In":
          if (!has || !requirement.values.includes(value as string)) return false;
          break;
        // NotIn and DoesNotExist match a pod without the key at all, as Kubernetes' selectors do.
        case "NotIn":
          if (has && requirement.values.includes(value as string)) return false;
          break;
        case "Exists":
          if (!has) return false;
          break;
        case "DoesNotExist":
          if (has) return false;
          break;
      }
    }
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Objects

type TObject = TManifestObjectRef & { apiVersion: string; line: number; value: TObj; r: Reader };

type TContainer = {
  name: string;
  init: boolean;
  image: string | undefined;
  resources: { requests: Record<string, number>; limits: Record<string, number>; shown: Record<string, string> };
  readinessProbe: TObj | undefined;
  livenessProbe: TObj | undefined;
  ports: Map<string, number>;
  runAsNonRoot: boolean | undefined;
  runAsUser: number | undefined;
  privileged: boolean | undefined;
};

type TWorkload = {
  obj: TObject;
  labels: Record<string, string>;
  containers: TContainer[];
  runAsNonRoot: boolean | undefined;
  runAsUser: number | undefined;
  longRunning: boolean;
  /** Effective lowest replica count (see TManifestWorkload.replicas). */
  replicas: number | null;
};

type TPdb = {
  obj: TObject;
  selector: TSelector;
  minAvailable: string | number | undefined;
  maxUnavailable: string | number | undefined;
};
type TMonitor = { obj: TObject; selector: TSelector; anyNamespace: boolean; namespaces: string[] | null };
type TService = {
  obj: TObject;
  labels: Record<string, string>;
  selector: Record<string, string> | null;
  metricsReason: string | null;
};

const refOf = (o: TManifestObjectRef): TManifestObjectRef => ({ kind: o.kind, namespace: o.namespace, name: o.name });

export function formatObjectRef(ref: TManifestObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** Documents and `List` items, flattened in document order, each checked for apiVersion, kind and metadata.name. */
function collectObjects(documents: { value: unknown; line: number }[], defaultNamespace: string): TObject[] {
  const out: TObject[] = [];
  const visit = (value: unknown, line: number, where: string) => {
    if (!isObject(value)) throw new ManifestRefusal(`${where} is ${describeValue(value)}, not a Kubernetes object`);
    const apiVersion = field(value, "apiVersion");
    const kind = field(value, "kind");
    if (typeof apiVersion !== "string" || apiVersion === "")
      throw new ManifestRefusal(
        `${where} has no apiVersion${apiVersion === undefined ? "" : ` (got ${got(apiVersion)})`}`,
      );
    if (typeof kind !== "string" || kind === "")
      throw new ManifestRefusal(`${where} has no kind${kind === undefined ? "" : ` (got ${got(kind)})`}`);
    // Every kind, built-in or CRD, is an identifier: anything else is not a Kubernetes object, and would be a key of byKind.
    if (!/^[A-Za-z][A-Za-z0-9]{0,62}$/.test(kind))
      throw new ManifestRefusal(
        `${where}: kind ${quoteText(kind.slice(0, 70))} is not a Kubernetes kind (letters and digits, such as Deployment)`,
      );
    // kubectl's rule for a list: a kind ending in "List" with an `items` array (kind: List, DeploymentList…).
    if (kind.endsWith("List") && (kind === "List" || Array.isArray(field(value, "items")))) {
      const items = field(value, "items");
      if (!Array.isArray(items))
        throw new ManifestRefusal(`${where}: the ${kind} has no items list (got ${got(items)})`);
      items.forEach((item, i) => visit(item, line, `item ${i} of the ${kind} at line ${line}`));
      return;
    }
    const metadata = field(value, "metadata");
    if (!isObject(metadata))
      throw new ManifestRefusal(
        `${where}: the ${kind} has no metadata${metadata === undefined ? "" : ` (got ${got(metadata)})`}`,
      );
    const name = field(metadata, "name");
    if (typeof name !== "string" || name === "") {
      const generated =
        field(metadata, "generateName") !== undefined
          ? " (generateName is for kubectl create, not for an applied manifest)"
          : "";
      throw new ManifestRefusal(`${where}: the ${kind} has no metadata.name${generated}`);
    }
    const namespace = field(metadata, "namespace");
    if (namespace !== undefined && (typeof namespace !== "string" || namespace === ""))
      throw new ManifestRefusal(
        `${where}: ${kind}/${name}: metadata.namespace: expected a namespace name, got ${got(namespace)}`,
      );
    if (out.length >= MAX_MANIFEST_OBJECTS)
      throw new ManifestRefusal(`the manifest holds more than ${MAX_MANIFEST_OBJECTS} objects`);
    const ref = { kind, namespace: (namespace as string | undefined) ?? defaultNamespace, name };
    out.push({ ...ref, apiVersion, line, value, r: new Reader(`${formatObjectRef(ref)} (line ${line})`) });
  };
  for (const doc of documents) visit(doc.value, doc.line, `the document at line ${doc.line}`);
  return out;
}

// Quantities as resource.Quantity writes them: a number, then a binary (Ki…Ei), decimal (n, u, m, k, M…E) or exponent suffix.
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;
const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

function readQuantity(r: Reader, value: unknown, path: string): number {
  if (typeof value === "number" && Number.isFinite(value)) {
    if (value < 0) r.refuse(path, `a resource quantity cannot be negative, got ${value}`);
    return value;
  }
  if (typeof value !== "string") r.refuse(path, `expected a quantity such as "250m" or "512Mi", got ${got(value)}`);
  const match = QUANTITY.exec(value);
  if (!match) r.refuse(path, `${quoteText(value.slice(0, 40))} is not a quantity (such as "250m", "1.5", "512Mi")`);
  const suffix = match[2] ?? "";
  const amount =
    Number(match[1]) *
    (suffix === "" ? 1 : /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : (SUFFIX[suffix] as number));
  if (amount < 0) r.refuse(path, `a resource quantity cannot be negative, got ${quoteText(value)}`);
  return amount;
}

function readContainer(r: Reader, value: unknown, path: string, init: boolean): TContainer {
  const c = r.object(value, path) ?? r.refuse(path, "expected a container, got null");
  const name = r.string(field(c, "name"), `${path}.name`) ?? r.refuse(`${path}.name`, "expected the container's name");
  const image = r.string(field(c, "image"), `${path}.image`);
  const resources = r.object(field(c, "resources"), `${path}.resources`);
  const quantities = (key: "requests" | "limits") => {
    const out: Record<string, number> = {};
    const shown: Record<string, string> = {};
    const obj = resources ? r.object(field(resources, key), `${path}.resources.${key}`) : undefined;
    for (const resource of ["cpu", "memory"]) {
      const raw = obj ? field(obj, resource) : undefined;
      if (raw === undefined) continue;
      out[resource] = readQuantity(r, raw, `${path}.resources.${key}.${resource}`);
      shown[`${key}.${resource}`] = String(raw);
    }
    return { out, shown };
  };
  const requests = quantities("requests");
  const limits = quantities("limits");
  const ports = new Map<string, number>();
  (r.array(field(c, "ports"), `${path}.ports`) ?? []).forEach((item, i) => {
    const port = r.object(item, `${path}.ports[${i}]`);
    if (!port) return;
    const portName = r.string(field(port, "name"), `${path}.ports[${i}].name`);
    const number = r.int(field(port, "containerPort"), `${path}.ports[${i}].containerPort`, 1);
    if (portName !== undefined && number !== undefined) ports.set(portName, number);
  });
  const sc = r.object(field(c, "securityContext"), `${path}.securityContext`);
  return {
    name,
    init,
    image,
    resources: { requests: requests.out, limits: limits.out, shown: { ...requests.shown, ...limits.shown } },
    readinessProbe: r.object(field(c, "readinessProbe"), `${path}.readinessProbe`),
    livenessProbe: r.object(field(c, "livenessProbe"), `${path}.livenessProbe`),
    ports,
    runAsNonRoot: sc ? r.bool(field(sc, "runAsNonRoot"), `${path}.securityContext.runAsNonRoot`) : undefined,
    runAsUser: sc ? r.int(field(sc, "runAsUser"), `${path}.securityContext.runAsUser`) : undefined,
    privileged: sc ? r.bool(field(sc, "privileged"), `${path}.securityContext.privileged`) : undefined,
  };
}

/** The pod template and the path it is at: the object itself for a bare Pod, spec.jobTemplate.spec.template for a CronJob. */
function podTemplateOf(obj: TObject): { template: TObj; base: string } {
  const { r, value, kind } = obj;
  if (kind === "Pod") return { template: value, base: "" };
  const spec = r.object(field(value, "spec"), "spec");
  if (kind === "CronJob") {
    const jobTemplate = spec ? r.object(field(spec, "jobTemplate"), "spec.jobTemplate") : undefined;
    const jobSpec = jobTemplate ? r.object(field(jobTemplate, "spec"), "spec.jobTemplate.spec") : undefined;
    const template = jobSpec ? r.object(field(jobSpec, "template"), "spec.jobTemplate.spec.template") : undefined;
    return {
      template: template ?? r.refuse("spec.jobTemplate.spec.template", "expected the CronJob's pod template"),
      base: "spec.jobTemplate.spec.template.",
    };
  }
  const template = spec ? r.object(field(spec, "template"), "spec.template") : undefined;
  return {
    template: template ?? r.refuse("spec.template", `expected the ${kind}'s pod template`),
    base: "spec.template.",
  };
}

function readWorkload(obj: TObject): TWorkload {
  const { r, value, kind } = obj;
  const { template, base } = podTemplateOf(obj);
  const metadata = r.object(field(template, "metadata"), `${base}metadata`);
  const labels = metadata ? r.stringMap(field(metadata, "labels"), `${base}metadata.labels`) : {};
  const podSpec = r.object(field(template, "spec"), `${base}spec`) ?? r.refuse(`${base}spec`, "expected the pod spec");
  const containerList = r.array(field(podSpec, "containers"), `${base}spec.containers`) ?? [];
  if (containerList.length === 0) r.refuse(`${base}spec.containers`, "expected at least one container");
  const initList = r.array(field(podSpec, "initContainers"), `${base}spec.initContainers`) ?? [];
  const containers = [
    ...initList.map((c, i) => readContainer(r, c, `${base}spec.initContainers[${i}]`, true)),
    ...containerList.map((c, i) => readContainer(r, c, `${base}spec.containers[${i}]`, false)),
  ];
  const podSc = r.object(field(podSpec, "securityContext"), `${base}spec.securityContext`);
  const restartPolicy = r.string(field(podSpec, "restartPolicy"), `${base}spec.restartPolicy`);
  let replicas: number | null = null;
  // The API server defaults spec.replicas to 1; a bare Pod is one replica, a DaemonSet or a Job none that counts.
  if (REPLICATED_KINDS.has(kind))
    replicas = r.int(field(field(value, "spec") as TObj, "replicas"), "spec.replicas") ?? 1;
  else if (kind === "Pod") replicas = 1;
  return {
    obj,
    labels,
    containers,
    runAsNonRoot: podSc ? r.bool(field(podSc, "runAsNonRoot"), `${base}spec.securityContext.runAsNonRoot`) : undefined,
    runAsUser: podSc ? r.int(field(podSc, "runAsUser"), `${base}spec.securityContext.runAsUser`) : undefined,
    // Jobs run to completion; a bare Pod does too unless it restarts Always (the default).
    longRunning:
      kind !== "Job" &&
      kind !== "CronJob" &&
      (kind !== "Pod" || restartPolicy === undefined || restartPolicy === "Always"),
    replicas,
  };
}

/** minAvailable / maxUnavailable: a whole number, or a percentage up to 100% (IntOrString, as PDB validation allows). */
function readIntOrPercent(r: Reader, value: unknown, path: string): string | number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return r.int(value, path);
  if (typeof value === "string") {
    const match = /^([0-9]+)%$/.exec(value);
    if (!match) r.refuse(path, `expected a whole number or a percentage such as "50%", got ${got(value)}`);
    if (Number(match[1]) > 100) r.refuse(path, `a percentage cannot exceed 100%, got ${quoteText(value)}`);
    return value;
  }
  return r.refuse(path, `expected a whole number or a percentage such as "50%", got ${got(value)}`);
}

/** A percentage of `total`, rounded up, as the disruption controller scales both minAvailable and maxUnavailable. */
function scaled(value: string | number, total: number): number {
  return typeof value === "number" ? value : Math.ceil((Number(value.slice(0, -1)) * total) / 100);
}

function readNamespaceSelector(r: Reader, spec: TObj): { anyNamespace: boolean; namespaces: string[] | null } {
  const selector = r.object(field(spec, "namespaceSelector"), "spec.namespaceSelector");
  if (!selector) return { anyNamespace: false, namespaces: null };
  const anyNamespace = r.bool(field(selector, "any"), "spec.namespaceSelector.any") ?? false;
  const names = (r.array(field(selector, "matchNames"), "spec.namespaceSelector.matchNames") ?? []).map(
    (n, i) =>
      r.string(n, `spec.namespaceSelector.matchNames[${i}]`) ??
      r.refuse(`spec.namespaceSelector.matchNames[${i}]`, "expected a namespace name, got null"),
  );
  return { anyNamespace, namespaces: names.length > 0 ? names : null };
}

/** Prometheus Operator: any: true is every namespace, else matchNames, else the monitor's own namespace. */
const monitorWatches = (m: TMonitor, namespace: string) =>
  m.anyNamespace || (m.namespaces ? m.namespaces.includes(namespace) : m.obj.namespace === namespace);

// ---------------------------------------------------------------------------------------------------------------
// Image references (distribution/reference: [host[:port]/]path[:tag][@digest])

export type TImageRef = { name: string; tag: string | null; digest: string | null };

/** Splits an image reference; the tag is after the last ":" that follows the last "/", so a registry port is not a tag. */
export function parseImageRef(image: string): TImageRef {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : null;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(":");
  const tagged = colon > rest.lastIndexOf("/");
  return { name: tagged ? rest.slice(0, colon) : rest, tag: tagged ? rest.slice(colon + 1) : null, digest };
}

const DIGEST = /^sha256:[0-9a-f]{64}$|^sha512:[0-9a-f]{128}$/;

/** Why an image is not pinned, or null when it is: a valid digest, or a tag other than latest. */
export function imageProblem(image: string): string | null {
  const ref = parseImageRef(image);
  if (ref.digest !== null)
    return DIGEST.test(ref.digest)
      ? null
      : `has a malformed digest ${quoteText(ref.digest.slice(0, 80))} (expected sha256: and 64 lowercase hex digits)`;
  if (ref.tag === null) return "has no tag or digest, so the runtime pulls latest, whatever that is at the time";
  if (ref.tag === "") return "has an empty tag";
  if (ref.tag === "latest") return "is tagged latest, which moves: two nodes can run different code under one manifest";
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

type TEmit = (rule: TManifestRule, container: string | null, message: string) => void;

const containerLabel = (c: TContainer) => `${c.init ? "init container" : "container"} ${quoteText(c.name)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  if (pairs.length === 0) return "no labels";
  const shown = pairs.slice(0, 4).join(", ");
  return pairs.length > 4 ? `${shown}, … ${pairs.length - 4} more` : shown;
}

function checkResources(w: TWorkload, emit: TEmit) {
  for (const c of w.containers) {
    const { requests, limits, shown } = c.resources;
    // The API server defaults a missing request to the limit; zero counts as unset, as kube-score's IsZero does.
    const missing: string[] = [];
    for (const resource of ["cpu", "memory"]) {
      const limit = limits[resource];
      const request = requests[resource] ?? limit;
      if (!request) missing.push(`resources.requests.${resource}`);
      if (!limit) missing.push(`resources.limits.${resource}`);
    }
    const problems: string[] = [];
    if (missing.length > 0) problems.push(`sets no ${missing.join(", ")}`);
    for (const resource of ["cpu", "memory"]) {
      const request = requests[resource];
      const limit = limits[resource];
      if (request !== undefined && limit !== undefined && limit > 0 && request > limit)
        problems.push(
          `requests.${resource} ${shown[`requests.${resource}`]} exceeds limits.${resource} ${shown[`limits.${resource}`]}, which the API server refuses`,
        );
    }
    if (problems.length > 0) emit("resources", c.name, `${containerLabel(c)} ${problems.join("; ")}`);
  }
}

/** Kubernetes' probe defaults, applied before comparing, so writing a default out does not make two probes differ. */
const PROBE_DEFAULTS: TObj = {
  initialDelaySeconds: 0,
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
};

function canonicalProbe(probe: TObj, ports: Map<string, number>): string {
  const port = (p: unknown) => (typeof p === "string" && ports.has(p) ? ports.get(p) : p);
  const out: TObj = { ...probe };
  for (const [key, value] of Object.entries(PROBE_DEFAULTS)) if (field(probe, key) === undefined) out[key] = value;
  const httpGet = field(probe, "httpGet");
  if (isObject(httpGet)) out.httpGet = { path: "/", scheme: "HTTP", ...httpGet, port: port(field(httpGet, "port")) };
  const tcpSocket = field(probe, "tcpSocket");
  if (isObject(tcpSocket)) out.tcpSocket = { ...tcpSocket, port: port(field(tcpSocket, "port")) };
  const grpc = field(probe, "grpc");
  if (isObject(grpc)) out.grpc = { service: "", ...grpc };
  return stableStringify(out);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== null && value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function checkProbes(w: TWorkload, emit: TEmit) {
  for (const c of w.containers) {
    if (c.init) continue;
    const problems: string[] = [];
    if (!c.readinessProbe) problems.push("has no readinessProbe");
    if (!c.livenessProbe) problems.push("has no livenessProbe");
    if (
      c.readinessProbe &&
      c.livenessProbe &&
      canonicalProbe(c.readinessProbe, c.ports) === canonicalProbe(c.livenessProbe, c.ports)
    )
      problems.push(
        "has identical readinessProbe and livenessProbe: when a dependency fails every pod is restarted instead of taken out of its Service",
      );
    if (problems.length > 0) emit("probes", c.name, `${containerLabel(c)} ${problems.join(" and ")}`);
  }
}

function checkImages(w: TWorkload, emit: TEmit) {
  for (const c of w.containers) {
    if (c.image === undefined || c.image === "") emit("imagePinned", c.name, `${containerLabel(c)} has no image`);
    else {
      const problem = imageProblem(c.image);
      if (problem)
        emit("imagePinned", c.name, `${containerLabel(c)} image ${quoteText(c.image.slice(0, 200))} ${problem}`);
    }
  }
}

function checkRunAsNonRoot(w: TWorkload, emit: TEmit) {
  for (const c of w.containers) {
    // The container's securityContext wins over the pod's, field by field, as the kubelet applies them.
    const user = c.runAsUser ?? w.runAsUser;
    const nonRoot = c.runAsNonRoot ?? w.runAsNonRoot;
    const userFrom = c.runAsUser !== undefined ? "the container's" : "the pod's";
    if (user === 0)
      emit(
        "runAsNonRoot",
        c.name,
        `${containerLabel(c)} runs as UID 0, root (runAsUser: 0 in ${userFrom} securityContext)${nonRoot ? "; with runAsNonRoot: true as well the kubelet refuses to start it" : ""}`,
      );
    else if (nonRoot === true || (user !== undefined && user > 0)) continue;
    else if (nonRoot === false)
      emit(
        "runAsNonRoot",
        c.name,
        `${containerLabel(c)} sets runAsNonRoot: false and no non-zero runAsUser: it runs as the image's user, root unless the image says otherwise`,
      );
    else
      emit(
        "runAsNonRoot",
        c.name,
        `${containerLabel(c)} sets neither runAsNonRoot: true nor a non-zero runAsUser (container or pod securityContext): it runs as the image's user, root unless the image says otherwise`,
      );
  }
}

function checkPrivileged(w: TWorkload, emit: TEmit) {
  for (const c of w.containers)
    if (c.privileged === true)
      emit(
        "privileged",
        c.name,
        `${containerLabel(c)} runs privileged (securityContext.privileged: true): every capability and the host's devices`,
      );
}

function describePolicy(pdb: TPdb): string {
  if (pdb.minAvailable !== undefined) return `minAvailable ${pdb.minAvailable}`;
  if (pdb.maxUnavailable !== undefined) return `maxUnavailable ${pdb.maxUnavailable}`;
  return "no policy";
}

function checkDisruptionBudget(w: TWorkload, pdbs: TPdb[], matcher: Matcher, emit: TEmit) {
  const { namespace } = w.obj;
  const replicas = w.replicas ?? 1;
  const matching = pdbs.filter((p) => p.obj.namespace === namespace && matcher.matches(p.selector, w.labels));
  if (matching.length === 0)
    return emit(
      "disruptionBudget",
      null,
      `no PodDisruptionBudget in namespace ${quoteText(namespace)} selects its pods (${formatLabels(w.labels)}): nothing stops drains from evicting all ${replicas} replicas at once`,
    );
  if (matching.length > 1) {
    const names = matching.map((p) => p.obj.name).join(", ");
    return emit(
      "disruptionBudget",
      null,
      `${plural(matching.length, "PodDisruptionBudget")} select its pods (${names}): the eviction API refuses to evict a pod that more than one budget covers, so node drains stall`,
    );
  }
  const pdb = matching[0] as TPdb;
  const name = formatObjectRef(pdb.obj);
  if (pdb.minAvailable === undefined && pdb.maxUnavailable === undefined)
    return emit(
      "disruptionBudget",
      null,
      `${name} sets neither minAvailable nor maxUnavailable: it lets every pod be evicted at once`,
    );
  const allowed =
    pdb.minAvailable !== undefined
      ? replicas - scaled(pdb.minAvailable, replicas)
      : Math.min(replicas, scaled(pdb.maxUnavailable as string | number, replicas));
  if (allowed <= 0)
    emit(
      "disruptionBudget",
      null,
      `${name} (${describePolicy(pdb)}) allows no voluntary disruption of its ${plural(replicas, "replica")}: node drains wait on it forever`,
    );
}

export function replicaFindings(workloads: TManifestWorkload[], minReplicas: number): TManifestFinding[] {
  const findings: TManifestFinding[] = [];
  for (const w of workloads) {
    if (!REPLICATED_KINDS.has(w.kind) || w.replicas === null || w.replicas >= minReplicas) continue;
    findings.push({
      ...refOf(w),
      rule: "replicas",
      container: null,
      message: `runs as few as ${plural(w.replicas, "replica")}, fewer than the ${minReplicas} required to survive a node failure or a rollout`,
      line: w.line,
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------------

export function parseManifests(text: string, options: TParseManifestsOptions = {}): TParseManifestsResult {
  const minReplicas = options.minReplicas ?? 2;
  if (!Number.isSafeInteger(minReplicas) || minReplicas < 0)
    throw new RangeError(`minReplicas must be a whole number, got ${String(minReplicas)}`);
  const defaultNamespace = options.defaultNamespace ?? "default";
  if (defaultNamespace === "") throw new RangeError("defaultNamespace must not be empty");

  const stream = readYamlStream(text, "manifest", { merge: true });
  if (!stream.ok) return stream;
  // Not Kubernetes at all (a compose file, a values.yaml) is malformed; Kubernetes with a bad object is refused.
  if (
    !stream.documents.some(
      (d) =>
        isObject(d.value) &&
        typeof field(d.value, "apiVersion") === "string" &&
        typeof field(d.value, "kind") === "string",
    )
  )
    return {
      ok: false,
      error: "the manifest holds no Kubernetes object: no document has an apiVersion and a kind",
      malformed: true,
    };
  try {
    return { ok: true, report: analyse(collectObjects(stream.documents, defaultNamespace), minReplicas) };
  } catch (error) {
    if (error instanceof ManifestRefusal) return { ok: false, error: error.message.slice(0, 1000), malformed: false };
    throw error;
  }
}

function analyse(objects: TObject[], minReplicas: number): TManifestReport {
  const kinds = new Map<string, number>();
  const workloads = new Map<TObject, TWorkload>();
  const services = new Map<TObject, TService>();
  const pdbs: TPdb[] = [];
  const networkPolicies: { obj: TObject; selector: TSelector }[] = [];
  const serviceMonitors: TMonitor[] = [];
  const podMonitors: TMonitor[] = [];
  const hpas: { obj: TObject; kind: string; name: string; minReplicas: number }[] = [];

  // Everything a rule reads is read (and refused if wrong) before any rule runs.
  for (const obj of objects) {
    kinds.set(obj.kind, (kinds.get(obj.kind) ?? 0) + 1);
    const { r, value, kind, apiVersion } = obj;
    const spec = () => r.object(field(value, "spec"), "spec");
    if (Object.hasOwn(WORKLOAD_API, kind) && WORKLOAD_API[kind] === apiVersion) workloads.set(obj, readWorkload(obj));
    else if (kind === "Service" && apiVersion === "v1") {
      const s = spec();
      const metadata = value.metadata as TObj;
      const labels = r.stringMap(field(metadata, "labels"), "metadata.labels");
      const annotations = r.stringMap(field(metadata, "annotations"), "metadata.annotations");
      const selectorValue = s ? field(s, "selector") : undefined;
      const selector = selectorValue === undefined ? null : r.stringMap(selectorValue, "spec.selector");
      const portNames = (s ? (r.array(field(s, "ports"), "spec.ports") ?? []) : []).flatMap((p, i) => {
        const port = r.object(p, `spec.ports[${i}]`);
        const name = port ? r.string(field(port, "name"), `spec.ports[${i}].name`) : undefined;
        return name === undefined ? [] : [name];
      });
      const metricsPort = portNames.find(isMetricsPortName);
      const metricsReason =
        metricsPort !== undefined
          ? `port ${quoteText(metricsPort)}`
          : annotations["prometheus.io/scrape"] === "true"
            ? 'annotation prometheus.io/scrape: "true"'
            : null;
      services.set(obj, {
        obj,
        labels,
        selector: selector && Object.keys(selector).length > 0 ? selector : null,
        metricsReason,
      });
    } else if (kind === "PodDisruptionBudget" && apiVersion === "policy/v1") {
      const s = spec() ?? {};
      const minAvailable = readIntOrPercent(r, field(s, "minAvailable"), "spec.minAvailable");
      const maxUnavailable = readIntOrPercent(r, field(s, "maxUnavailable"), "spec.maxUnavailable");
      if (minAvailable !== undefined && maxUnavailable !== undefined)
        r.refuse("spec", "minAvailable and maxUnavailable cannot both be set (the API server refuses it)");
      pdbs.push({
        obj,
        selector: readLabelSelector(r, field(s, "selector"), "spec.selector"),
        minAvailable,
        maxUnavailable,
      });
    } else if (kind === "NetworkPolicy" && apiVersion === "networking.k8s.io/v1") {
      const s = spec() ?? {};
      // podSelector is a value, not a pointer, in the API: omitted it decodes to {} and selects every pod.
      const podSelector = field(s, "podSelector");
      networkPolicies.push({
        obj,
        selector:
          podSelector === undefined ? { requirements: [] } : readLabelSelector(r, podSelector, "spec.podSelector"),
      });
    } else if (kind === "HorizontalPodAutoscaler" && apiVersion.startsWith("autoscaling/")) {
      const s = spec() ?? r.refuse("spec", "expected the HPA's spec");
      const target =
        r.object(field(s, "scaleTargetRef"), "spec.scaleTargetRef") ??
        r.refuse("spec.scaleTargetRef", "expected the object the HPA scales");
      hpas.push({
        obj,
        kind:
          r.string(field(target, "kind"), "spec.scaleTargetRef.kind") ??
          r.refuse("spec.scaleTargetRef.kind", "expected a kind"),
        name:
          r.string(field(target, "name"), "spec.scaleTargetRef.name") ??
          r.refuse("spec.scaleTargetRef.name", "expected a name"),
        minReplicas: r.int(field(s, "minReplicas"), "spec.minReplicas") ?? 1,
      });
    } else if ((kind === "ServiceMonitor" || kind === "PodMonitor") && apiVersion === "monitoring.coreos.com/v1") {
      const s = spec() ?? {};
      (kind === "ServiceMonitor" ? serviceMonitors : podMonitors).push({
        obj,
        selector: readLabelSelector(r, field(s, "selector"), "spec.selector"),
        ...readNamespaceSelector(r, s),
      });
    }
  }

  // An HPA scales between its minReplicas and maxReplicas whatever spec.replicas says: its minimum is the floor.
  // Two HPAs on one target fight (the controller then scales neither); the lower minimum is taken.
  const scaledByHpa = new Set<TWorkload>();
  for (const hpa of hpas) {
    for (const w of workloads.values()) {
      if (
        !REPLICATED_KINDS.has(w.obj.kind) ||
        w.obj.kind !== hpa.kind ||
        w.obj.name !== hpa.name ||
        w.obj.namespace !== hpa.obj.namespace
      )
        continue;
      w.replicas = scaledByHpa.has(w) ? Math.min(w.replicas ?? hpa.minReplicas, hpa.minReplicas) : hpa.minReplicas;
      scaledByHpa.add(w);
    }
  }

  const matcher = new Matcher();
  const rules = Object.fromEntries(MANIFEST_RULES.map((rule) => [rule, { checked: 0, failed: 0 }])) as Record<
    TManifestRule,
    { checked: number; failed: number }
  >;
  const findings: TManifestFinding[] = [];
  const workloadList: TManifestWorkload[] = [];

  for (const obj of objects) {
    const failedHere = new Set<TManifestRule>();
    const emit: TEmit = (rule, container, message) => {
      failedHere.add(rule);
      if (findings.length < MAX_MANIFEST_FINDINGS)
        findings.push({ ...refOf(obj), rule, container, message: message.slice(0, MESSAGE_MAX), line: obj.line });
    };
    const applied: TManifestRule[] = [];
    const w = workloads.get(obj);
    if (w) {
      const stored: TManifestWorkload = { ...refOf(obj), replicas: w.replicas, line: obj.line };
      workloadList.push(stored);
      applied.push("resources", "networkPolicy", "imagePinned", "runAsNonRoot", "privileged");
      checkResources(w, emit);
      if (w.longRunning) {
        applied.push("probes");
        checkProbes(w, emit);
      }
      if (REPLICATED_KINDS.has(obj.kind)) {
        applied.push("replicas");
        for (const f of replicaFindings([stored], minReplicas)) emit("replicas", null, f.message);
      }
      // As kube-score: a single replica is skipped, since a budget can then only block drains or allow the outage.
      if ((obj.kind === "Deployment" || obj.kind === "StatefulSet") && (w.replicas ?? 1) > 1) {
        applied.push("disruptionBudget");
        checkDisruptionBudget(w, pdbs, matcher, emit);
      }
      if (!networkPolicies.some((p) => p.obj.namespace === obj.namespace && matcher.matches(p.selector, w.labels)))
        emit(
          "networkPolicy",
          null,
          `no NetworkPolicy in namespace ${quoteText(obj.namespace)} selects its pods (${formatLabels(w.labels)}): all traffic to and from them is allowed`,
        );
      checkImages(w, emit);
      checkRunAsNonRoot(w, emit);
      checkPrivileged(w, emit);
    }
    const s = services.get(obj);
    if (s && s.metricsReason !== null) {
      applied.push("serviceMonitor");
      const byServiceMonitor = serviceMonitors.some(
        (m) => monitorWatches(m, obj.namespace) && matcher.matches(m.selector, s.labels),
      );
      // A PodMonitor scrapes pods, not the Service: it counts when it selects the pods the Service selects, read from
      // the workloads in the manifest, else (pods made elsewhere) the Service's selector taken as the pods' labels.
      const serviceSelector = s.selector === null ? null : mapSelector(s.selector);
      const podLabels = [...workloads.values()]
        .filter((pw) => pw.obj.namespace === obj.namespace && matcher.matches(serviceSelector, pw.labels))
        .map((pw) => pw.labels);
      if (s.selector !== null && podLabels.length === 0) podLabels.push(s.selector);
      const byPodMonitor = podMonitors.some(
        (m) => monitorWatches(m, obj.namespace) && podLabels.some((labels) => matcher.matches(m.selector, labels)),
      );
      if (!byServiceMonitor && !byPodMonitor)
        emit(
          "serviceMonitor",
          null,
          `exposes metrics (${s.metricsReason}) but no ServiceMonitor selects it and no PodMonitor selects its pods: nothing scrapes them`,
        );
    }
    for (const rule of applied) {
      rules[rule].checked += 1;
      if (failedHere.has(rule)) rules[rule].failed += 1;
    }
  }
  return { objects: objects.length, byKind: Object.fromEntries(kinds), workloads: workloadList, rules, findings };
}
