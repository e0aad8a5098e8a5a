import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  formatObjectRef,
  imageProblem,
  MAX_MANIFEST_FINDINGS,
  parseImageRef,
  parseManifests,
  replicaFindings,
  type TManifestReport,
  type TManifestRule,
} from "./kubernetes";

// Rendered manifests as the tools write them (kubectl kustomize on the x0tta6bl4 demo seed, a hand-written
// `helm template` of helm's own scaffold chart), then each rule on objects made to pass or fail it, then input the
// parser must refuse rather than read.

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

/** Line of the n-th (0-based) line in `text` that equals `line` exactly, 1-based. */
const lineOf = (text: string, line: string, nth = 0) =>
  text.split("\n").reduce<number[]>((acc, l, i) => (l === line ? [...acc, i + 1] : acc), [])[nth] ?? -1;

const docs = (...objects: unknown[]) => objects.map((o) => stringify(o)).join("---\n");

type TC = Record<string, unknown>;

/** A container that passes every container rule. */
const ok = (name = "app", extra: TC = {}): TC => ({
  name,
  image: "registry.example/app:1.2.3",
  ports: [{ name: "http", containerPort: 8080 }],
  readinessProbe: { httpGet: { path: "/ready", port: "http" } },
  livenessProbe: { httpGet: { path: "/live", port: "http" } },
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
  securityContext: { runAsNonRoot: true },
  ...extra,
});

type TWorkloadOptions = {
  kind?: string;
  apiVersion?: string;
  ns?: string | null;
  replicas?: number | string | null;
  labels?: Record<string, string>;
  containers?: TC[];
  initContainers?: TC[];
  pod?: TC;
};

function workload(name: string, o: TWorkloadOptions = {}): TC {
  const kind = o.kind ?? "Deployment";
  const podSpec = {
    containers: o.containers ?? [ok()],
    ...(o.initContainers ? { initContainers: o.initContainers } : {}),
    ...(o.pod ?? {}),
  };
  const labels = o.labels ?? { app: name };
  const metadata = { name, ...(o.ns === null ? {} : { namespace: o.ns ?? "prod" }) };
  const apiVersion =
    o.apiVersion ?? ({ Job: "batch/v1", CronJob: "batch/v1", Pod: "v1" } as Record<string, string>)[kind] ?? "apps/v1";
  const template = { metadata: { labels }, spec: podSpec };
  if (kind === "Pod") return { apiVersion, kind, metadata: { ...metadata, labels }, spec: podSpec };
  if (kind === "CronJob")
    return { apiVersion, kind, metadata, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template } } } };
  const replicas =
    o.replicas === undefined ? (["Deployment", "StatefulSet", "ReplicaSet"].includes(kind) ? 3 : null) : o.replicas;
  return {
    apiVersion,
    kind,
    metadata,
    spec: { ...(replicas === null ? {} : { replicas }), selector: { matchLabels: labels }, template },
  };
}

const netpol = (name: string, podSelector: unknown, ns = "prod"): TC => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace: ns },
  spec: podSelector === undefined ? { policyTypes: ["Ingress"] } : { podSelector },
});
const allowNp = netpol("default-deny", {});
const pdb = (name: string, spec: TC, ns = "prod"): TC => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name, namespace: ns },
  spec,
});
const hpa = (
  name: string,
  target: string,
  minReplicas: number | undefined,
  ns = "prod",
  apiVersion = "autoscaling/v2",
): TC => ({
  apiVersion,
  kind: "HorizontalPodAutoscaler",
  metadata: { name, namespace: ns },
  spec: {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target },
    ...(minReplicas === undefined ? {} : { minReplicas }),
    maxReplicas: 10,
  },
});

function analyse(text: string, options?: Parameters<typeof parseManifests>[1]): TManifestReport {
  const result = parseManifests(text, options);
  if (!result.ok) throw new Error(result.error);
  return result.report;
}
const refused = (text: string) => {
  const result = parseManifests(text);
  if (result.ok) throw new Error("expected a refusal");
  return result;
};
const of = (report: TManifestReport, rule: TManifestRule) => report.findings.filter((f) => f.rule === rule);
const messages = (report: TManifestReport, rule: TManifestRule) => of(report, rule).map((f) => f.message);

describe("parseManifests on real tool output", () => {
  // The fixture is what kubectl renders from examples/x0tta6bl4/k8s today: an edit of the kustomization without a
  // new render fails here. Machines without kubectl (it is a Debian package, not an npm one) skip this one case.
  it.skipIf(!existsSync("/usr/bin/kubectl"))(
    "the x0tta6bl4 fixture is kubectl kustomize's current render of examples/x0tta6bl4/k8s",
    () => {
      const rendered = execFileSync(
        "/usr/bin/kubectl",
        ["kustomize", new URL("../../examples/x0tta6bl4/k8s", import.meta.url).pathname],
        { encoding: "utf8" },
      );
      expect(rendered).toBe(fixture("k8s-x0tta6bl4-kustomize.yaml"));
    },
  );

  it("reads kubectl kustomize's render of the x0tta6bl4 demo seed: exactly two rules fail, as the seed intends", () => {
    const text = fixture("k8s-x0tta6bl4-kustomize.yaml");
    const report = analyse(text);
    expect(report.objects).toBe(26);
    expect(report.byKind).toEqual({
      Namespace: 1,
      ConfigMap: 1,
      Service: 4,
      Deployment: 3,
      StatefulSet: 2,
      PodDisruptionBudget: 4,
      HorizontalPodAutoscaler: 1,
      Job: 1,
      Prometheus: 1,
      ServiceMonitor: 1,
      NetworkPolicy: 7,
    });
    const failedRules = Object.entries(report.rules)
      .filter(([, r]) => r.failed > 0)
      .map(([rule]) => rule);
    expect(failedRules).toEqual(["disruptionBudget", "imagePinned"]);
    expect(report.rules).toEqual({
      resources: { checked: 6, failed: 0 },
      probes: { checked: 5, failed: 0 },
      replicas: { checked: 5, failed: 0 },
      disruptionBudget: { checked: 5, failed: 1 },
      networkPolicy: { checked: 6, failed: 0 },
      imagePinned: { checked: 6, failed: 1 },
      runAsNonRoot: { checked: 6, failed: 0 },
      privileged: { checked: 6, failed: 0 },
      serviceMonitor: { checked: 1, failed: 0 },
    });
    // kustomize writes apiVersion first: a document starts on the line before its `kind:`.
    const docLine = (kind: string, name: string) => {
      let line = 1;
      for (const doc of text.split("\n---\n")) {
        if (doc.includes(`\nkind: ${kind}\n`) && doc.includes(`\n  name: ${name}\n`)) return line;
        line += doc.split("\n").length + 1;
      }
      return -1;
    };
    expect(report.findings).toEqual([
      {
        kind: "Deployment",
        namespace: "x0tta6bl4",
        name: "worker",
        rule: "disruptionBudget",
        container: null,
        line: docLine("Deployment", "worker"),
        message: expect.stringMatching(
          /^no PodDisruptionBudget in namespace "x0tta6bl4" selects its pods \(app\.kubernetes\.io\/name=worker/,
        ),
      },
      {
        kind: "Job",
        namespace: "x0tta6bl4",
        name: "migrate",
        rule: "imagePinned",
        container: "migrate",
        line: docLine("Job", "migrate"),
        message:
          'container "migrate" image "ghcr.io/x0tta6bl4/migrations:latest" is tagged latest, which moves: two nodes can run different code under one manifest',
      },
    ]);
    // The API's Deployment leaves spec.replicas out (the API server would default it to 1); its HPA's minimum counts.
    expect(report.workloads).toEqual([
      { kind: "Deployment", namespace: "x0tta6bl4", name: "api", replicas: 2, line: docLine("Deployment", "api") },
      {
        kind: "Deployment",
        namespace: "x0tta6bl4",
        name: "gateway",
        replicas: 2,
        line: docLine("Deployment", "gateway"),
      },
      {
        kind: "Deployment",
        namespace: "x0tta6bl4",
        name: "worker",
        replicas: 2,
        line: docLine("Deployment", "worker"),
      },
      {
        kind: "StatefulSet",
        namespace: "x0tta6bl4",
        name: "postgres",
        replicas: 2,
        line: docLine("StatefulSet", "postgres"),
      },
      {
        kind: "StatefulSet",
        namespace: "x0tta6bl4",
        name: "redis",
        replicas: 2,
        line: docLine("StatefulSet", "redis"),
      },
      { kind: "Job", namespace: "x0tta6bl4", name: "migrate", replicas: null, line: docLine("Job", "migrate") },
    ]);
    expect(text.split("\n")[(report.workloads[0]?.line ?? 0) - 1]).toBe("apiVersion: apps/v1");
    // A check that asks for three replicas fails all five replicated workloads, from the stored workloads alone.
    expect(replicaFindings(report.workloads, 3).map((f) => f.name)).toEqual([
      "api",
      "gateway",
      "worker",
      "postgres",
      "redis",
    ]);
  });

  it("reads helm template output of helm's scaffold chart (# Source comments): the scaffold's known gaps, and the test hook Pod", () => {
    const text = fixture("k8s-helm-template.yaml");
    const report = analyse(text, { defaultNamespace: "staging" });
    expect(report.byKind).toEqual({ ServiceAccount: 1, Service: 1, Deployment: 1, Pod: 1 });
    const deployment = {
      kind: "Deployment",
      namespace: "staging",
      name: "web-mychart",
      line: lineOf(text, "kind: Deployment") - 1,
    };
    const pod = {
      kind: "Pod",
      namespace: "staging",
      name: "web-mychart-test-connection",
      line: lineOf(text, "kind: Pod") - 1,
    };
    expect(text.split("\n")[deployment.line - 2]).toBe("# Source: mychart/templates/deployment.yaml");
    expect(report.findings.map((f) => [f.rule, f.kind, f.container, f.line])).toEqual([
      ["resources", "Deployment", "mychart", deployment.line],
      ["probes", "Deployment", "mychart", deployment.line],
      ["replicas", "Deployment", null, deployment.line],
      ["networkPolicy", "Deployment", null, deployment.line],
      ["runAsNonRoot", "Deployment", "mychart", deployment.line],
      ["resources", "Pod", "wget", pod.line],
      ["networkPolicy", "Pod", null, pod.line],
      ["imagePinned", "Pod", "wget", pod.line],
      ["runAsNonRoot", "Pod", "wget", pod.line],
    ]);
    expect(report.findings[0]).toMatchObject({
      ...deployment,
      message:
        'container "mychart" sets no resources.requests.cpu, resources.limits.cpu, resources.requests.memory, resources.limits.memory',
    });
    expect(messages(report, "probes")).toEqual([expect.stringContaining("identical readinessProbe and livenessProbe")]);
    expect(messages(report, "imagePinned")).toEqual([
      'container "wget" image "busybox" has no tag or digest, so the runtime pulls latest, whatever that is at the time',
    ]);
    // The hook Pod restarts Never: not long-running, so no probes; one replica, but a Pod is not a replicated kind.
    expect(report.rules.probes).toEqual({ checked: 1, failed: 1 });
    expect(report.rules.replicas).toEqual({ checked: 1, failed: 1 });
    expect(report.rules.disruptionBudget).toEqual({ checked: 0, failed: 0 });
    expect(report.rules.serviceMonitor).toEqual({ checked: 0, failed: 0 });
    expect(report.workloads.map((w) => [w.name, w.replicas])).toEqual([
      ["web-mychart", 1],
      ["web-mychart-test-connection", 1],
    ]);
  });
});

describe("resources", () => {
  it("passes cpu and memory requests and limits on every container, init containers included", () => {
    const report = analyse(docs(workload("api", { initContainers: [ok("init")] }), allowNp));
    expect(report.rules.resources).toEqual({ checked: 1, failed: 0 });
  });

  it("names each missing figure per container, init containers too", () => {
    const report = analyse(
      docs(
        workload("api", {
          containers: [
            ok("a", { resources: { requests: { cpu: "100m" }, limits: { memory: "1Gi" } } }),
            ok("b", { resources: undefined }),
          ],
          initContainers: [ok("init", { resources: { limits: { cpu: "1" } } })],
        }),
      ),
    );
    expect(of(report, "resources").map((f) => [f.container, f.message])).toEqual([
      ["init", 'init container "init" sets no resources.requests.memory, resources.limits.memory'],
      ["a", 'container "a" sets no resources.limits.cpu'],
      [
        "b",
        'container "b" sets no resources.requests.cpu, resources.limits.cpu, resources.requests.memory, resources.limits.memory',
      ],
    ]);
    expect(report.rules.resources).toEqual({ checked: 1, failed: 1 });
  });

  it("takes a missing request to be the limit, as the API server defaults it; counts zero as unset", () => {
    const limitsOnly = analyse(
      docs(workload("api", { containers: [ok("a", { resources: { limits: { cpu: 1, memory: "256Mi" } } })] })),
    );
    expect(of(limitsOnly, "resources")).toEqual([]);
    const zero = analyse(
      docs(
        workload("api", {
          containers: [
            ok("a", { resources: { requests: { cpu: "0", memory: "128Mi" }, limits: { cpu: "0m", memory: "128Mi" } } }),
          ],
        }),
      ),
    );
    expect(messages(zero, "resources")).toEqual(['container "a" sets no resources.requests.cpu, resources.limits.cpu']);
  });

  it("flags a request above its limit, which the API server refuses, comparing across units", () => {
    const report = analyse(
      docs(
        workload("api", {
          containers: [
            ok("a", {
              resources: { requests: { cpu: "1500m", memory: "1Gi" }, limits: { cpu: "1", memory: "1024Mi" } },
            }),
          ],
        }),
      ),
    );
    expect(messages(report, "resources")).toEqual([
      'container "a" requests.cpu 1500m exceeds limits.cpu 1, which the API server refuses',
    ]);
  });

  it.each([
    ["a word", "lots", 'spec.template.spec.containers[0].resources.limits.memory: "lots" is not a quantity'],
    ["a negative", "-1Gi", "cannot be negative"],
    ["a list", ["1Gi"], "expected a quantity"],
  ])("refuses %s as a quantity, naming the object and the field", (_, memory, error) => {
    const result = refused(
      docs(workload("api", { containers: [ok("a", { resources: { limits: { cpu: "1", memory } } })] })),
    );
    expect(result).toMatchObject({ malformed: false, error: expect.stringContaining(error) });
    expect(result.error).toMatch(/^Deployment\/prod\/api \(line 1\): /);
  });
});

describe("probes", () => {
  it("asks every container of a long-running workload for a readiness and a liveness probe", () => {
    const report = analyse(
      docs(
        workload("api", {
          containers: [
            ok("a", { readinessProbe: undefined }),
            ok("b", { livenessProbe: undefined }),
            ok("c", { readinessProbe: null, livenessProbe: null }),
          ],
        }),
      ),
    );
    expect(messages(report, "probes")).toEqual([
      'container "a" has no readinessProbe',
      'container "b" has no livenessProbe',
      'container "c" has no readinessProbe and has no livenessProbe',
    ]);
  });

  it("flags identical probes after Kubernetes' defaults and named ports are applied; a different threshold is a different probe", () => {
    const same = { httpGet: { path: "/health", port: "http" } };
    const sameSpelledOut = {
      httpGet: { path: "/health", port: 8080, scheme: "HTTP" },
      periodSeconds: 10,
      timeoutSeconds: 1,
      failureThreshold: 3,
    };
    const report = analyse(
      docs(
        workload("identical", { containers: [ok("a", { readinessProbe: same, livenessProbe: sameSpelledOut })] }),
        workload("defaults", {
          containers: [
            ok("a", {
              readinessProbe: { tcpSocket: { port: 8080 } },
              livenessProbe: { tcpSocket: { port: "http" }, successThreshold: 1 },
            }),
          ],
        }),
        workload("threshold", {
          containers: [ok("a", { readinessProbe: same, livenessProbe: { ...same, failureThreshold: 6 } })],
        }),
        workload("root-path", {
          containers: [
            ok("a", { readinessProbe: { httpGet: { port: 80 } }, livenessProbe: { httpGet: { port: 80, path: "/" } } }),
          ],
        }),
      ),
    );
    expect(of(report, "probes").map((f) => f.name)).toEqual(["identical", "defaults", "root-path"]);
  });

  it("checks Deployments, StatefulSets, DaemonSets, ReplicaSets and always-restarting Pods; not Jobs, CronJobs, init containers", () => {
    const noProbes = ok("a", { readinessProbe: undefined, livenessProbe: undefined });
    const report = analyse(
      docs(
        ...["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"].map((kind) =>
          workload(kind.toLowerCase(), { kind, containers: [noProbes] }),
        ),
        workload("pod-always", { kind: "Pod", containers: [noProbes] }),
        workload("pod-never", { kind: "Pod", containers: [noProbes], pod: { restartPolicy: "Never" } }),
        workload("init", { initContainers: [noProbes] }),
      ),
    );
    expect(of(report, "probes").map((f) => f.name)).toEqual([
      "deployment",
      "statefulset",
      "daemonset",
      "replicaset",
      "pod-always",
    ]);
    expect(report.rules.probes).toEqual({ checked: 6, failed: 5 });
  });
});

describe("replicas", () => {
  it("reads spec.replicas, 1 when absent as the API server defaults it, against minReplicas (default 2)", () => {
    const report = analyse(
      docs(
        workload("absent", { replicas: null }),
        workload("one", { replicas: 1 }),
        workload("three", { kind: "StatefulSet", replicas: 3 }),
        workload("ds", { kind: "DaemonSet" }),
      ),
    );
    expect(of(report, "replicas").map((f) => [f.name, f.message])).toEqual([
      ["absent", "runs as few as 1 replica, fewer than the 2 required to survive a node failure or a rollout"],
      ["one", "runs as few as 1 replica, fewer than the 2 required to survive a node failure or a rollout"],
    ]);
    expect(report.workloads.map((w) => [w.name, w.replicas])).toEqual([
      ["absent", 1],
      ["one", 1],
      ["three", 3],
      ["ds", null],
    ]);
    expect(report.rules.replicas).toEqual({ checked: 3, failed: 2 });
    expect(analyse(docs(workload("three", { replicas: 3 })), { minReplicas: 4 }).rules.replicas).toEqual({
      checked: 1,
      failed: 1,
    });
  });

  it("takes an HPA's minReplicas (default 1) in place of spec.replicas, for its target in its namespace", () => {
    const report = analyse(
      docs(
        workload("scaled-up", { replicas: 1 }),
        hpa("scaled-up", "scaled-up", 3),
        workload("scaled-down", { replicas: 5 }),
        hpa("scaled-down", "scaled-down", undefined, "prod", "autoscaling/v1"),
        workload("elsewhere", { replicas: 1 }),
        hpa("elsewhere", "elsewhere", 4, "staging"),
      ),
    );
    expect(report.workloads.map((w) => [w.name, w.replicas])).toEqual([
      ["scaled-up", 3],
      ["scaled-down", 1],
      ["elsewhere", 1],
    ]);
    expect(of(report, "replicas").map((f) => f.name)).toEqual(["scaled-down", "elsewhere"]);
  });

  it("replicaFindings judges stored workloads against another minimum, replicated kinds only", () => {
    const workloads = [
      { kind: "Deployment", namespace: "prod", name: "api", replicas: 3, line: 4 },
      { kind: "DaemonSet", namespace: "prod", name: "agent", replicas: null, line: 20 },
      { kind: "Pod", namespace: "prod", name: "debug", replicas: 1, line: 40 },
    ];
    expect(replicaFindings(workloads, 3)).toEqual([]);
    expect(replicaFindings(workloads, 5)).toEqual([
      {
        kind: "Deployment",
        namespace: "prod",
        name: "api",
        rule: "replicas",
        container: null,
        line: 4,
        message: "runs as few as 3 replicas, fewer than the 5 required to survive a node failure or a rollout",
      },
    ]);
  });

  it.each([
    ["a word", "three", 'spec.replicas: expected an integer, got a string ("three")'],
    ["a quoted number", "3", 'spec.replicas: expected an integer, got a string ("3")'],
    ["a fraction", 2.5, "spec.replicas: expected an integer, got a number (2.5)"],
    ["a negative", -1, "spec.replicas: expected an integer of at least 0, got -1"],
  ])("refuses %s as replicas", (_, replicas, error) => {
    expect(refused(docs(workload("api", { replicas: replicas as number }))).error).toBe(
      `Deployment/prod/api (line 1): ${error}`,
    );
  });
});

describe("disruptionBudget", () => {
  const run = (...objects: TC[]) => analyse(docs(workload("api", { replicas: 3 }), ...objects));
  const budget = (spec: TC, ns?: string) => pdb("api-pdb", { selector: { matchLabels: { app: "api" } }, ...spec }, ns);

  it("passes a budget in the namespace that selects the pods and still allows a disruption", () => {
    for (const spec of [
      { minAvailable: 2 },
      { minAvailable: "50%" },
      { maxUnavailable: 1 },
      { maxUnavailable: "10%" },
      { maxUnavailable: 5 },
    ])
      expect([spec, messages(run(budget(spec)), "disruptionBudget")]).toEqual([spec, []]);
  });

  it("rounds percentages up, as the disruption controller does, for minAvailable and maxUnavailable alike", () => {
    // 3 replicas: 67% of 3 is 2.01, rounded up to 3 available, so none may go; 10% is 0.3, rounded up to 1 that may.
    expect(messages(run(budget({ minAvailable: "67%" })), "disruptionBudget")).toEqual([
      "PodDisruptionBudget/prod/api-pdb (minAvailable 67%) allows no voluntary disruption of its 3 replicas: node drains wait on it forever",
    ]);
    expect(messages(run(budget({ minAvailable: "66%" })), "disruptionBudget")).toEqual([]);
    expect(messages(run(budget({ maxUnavailable: "1%" })), "disruptionBudget")).toEqual([]);
  });

  it.each([
    ["minAvailable equal to the replicas", { minAvailable: 3 }, "(minAvailable 3)"],
    ["minAvailable above the replicas", { minAvailable: 5 }, "(minAvailable 5)"],
    ["minAvailable 100%", { minAvailable: "100%" }, "(minAvailable 100%)"],
    ["maxUnavailable 0", { maxUnavailable: 0 }, "(maxUnavailable 0)"],
    ["maxUnavailable 0%", { maxUnavailable: "0%" }, "(maxUnavailable 0%)"],
  ])("names the budget that blocks every disruption: %s", (_, spec, policy) => {
    const findings = of(run(budget(spec)), "disruptionBudget");
    expect(findings).toEqual([
      {
        kind: "Deployment",
        namespace: "prod",
        name: "api",
        rule: "disruptionBudget",
        container: null,
        line: 1,
        message: expect.stringContaining(`PodDisruptionBudget/prod/api-pdb ${policy} allows no voluntary disruption`),
      },
    ]);
  });

  it("flags no budget, a budget in another namespace, one whose selector is absent (matches nothing), and one for other pods", () => {
    for (const objects of [
      [],
      [budget({ maxUnavailable: 1 }, "staging")],
      [pdb("api-pdb", { maxUnavailable: 1 })],
      [pdb("api-pdb", { maxUnavailable: 1, selector: { matchLabels: { app: "web" } } })],
    ])
      expect(messages(run(...objects), "disruptionBudget")).toEqual([
        'no PodDisruptionBudget in namespace "prod" selects its pods (app=api): nothing stops drains from evicting all 3 replicas at once',
      ]);
  });

  it("takes an empty selector to select every pod in the namespace (policy/v1)", () => {
    expect(messages(run(pdb("all", { selector: {}, maxUnavailable: 1 })), "disruptionBudget")).toEqual([]);
  });

  it("flags two budgets on one pod (the eviction API refuses it) and a budget with no policy (it protects nothing)", () => {
    expect(
      messages(run(budget({ maxUnavailable: 1 }), pdb("all", { selector: {}, maxUnavailable: 1 })), "disruptionBudget"),
    ).toEqual([
      "2 PodDisruptionBudgets select its pods (api-pdb, all): the eviction API refuses to evict a pod that more than one budget covers, so node drains stall",
    ]);
    expect(messages(run(budget({})), "disruptionBudget")).toEqual([
      "PodDisruptionBudget/prod/api-pdb sets neither minAvailable nor maxUnavailable: it lets every pod be evicted at once",
    ]);
  });

  it("uses the HPA's minimum as the replica count, and skips single-replica workloads as kube-score does", () => {
    const report = analyse(
      docs(
        workload("api", { replicas: 1 }),
        hpa("api", "api", 2),
        budget({ minAvailable: "50%" }),
        workload("single", { replicas: 1 }),
        workload("ds", { kind: "DaemonSet" }),
      ),
    );
    expect(messages(report, "disruptionBudget")).toEqual([]);
    expect(report.rules.disruptionBudget).toEqual({ checked: 1, failed: 0 });
  });

  it.each([
    [
      "both policies",
      { minAvailable: 1, maxUnavailable: 1 },
      "spec: minAvailable and maxUnavailable cannot both be set (the API server refuses it)",
    ],
    [
      "a number as a string",
      { minAvailable: "2" },
      'spec.minAvailable: expected a whole number or a percentage such as "50%", got a string ("2")',
    ],
    ["over 100%", { maxUnavailable: "150%" }, 'spec.maxUnavailable: a percentage cannot exceed 100%, got "150%"'],
    ["a negative", { maxUnavailable: -1 }, "spec.maxUnavailable: expected an integer of at least 0, got -1"],
  ])("refuses a budget with %s, naming it", (_, spec, error) => {
    expect(refused(docs(budget(spec))).error).toBe(`PodDisruptionBudget/prod/api-pdb (line 1): ${error}`);
  });
});

describe("networkPolicy and label selectors", () => {
  const selects = (podSelector: unknown, labels: Record<string, string>) =>
    of(analyse(docs(workload("api", { labels }), netpol("np", podSelector))), "networkPolicy").length === 0;

  it("passes a workload some NetworkPolicy in its namespace selects; {} and an absent podSelector select every pod", () => {
    expect(selects({}, { app: "api" })).toBe(true);
    expect(selects(undefined, { app: "api" })).toBe(true);
    expect(selects({ matchLabels: { app: "api" } }, { app: "api", tier: "web" })).toBe(true);
    expect(selects({ matchLabels: { app: "web" } }, { app: "api" })).toBe(false);
    const elsewhere = analyse(docs(workload("api"), netpol("np", {}, "staging")));
    expect(messages(elsewhere, "networkPolicy")).toEqual([
      'no NetworkPolicy in namespace "prod" selects its pods (app=api): all traffic to and from them is allowed',
    ]);
  });

  it.each([
    ["In, value listed", { key: "tier", operator: "In", values: ["web", "api"] }, { tier: "web" }, true],
    ["In, value not listed", { key: "tier", operator: "In", values: ["db"] }, { tier: "web" }, false],
    ["In, key absent", { key: "tier", operator: "In", values: ["web"] }, {}, false],
    ["NotIn, value listed", { key: "tier", operator: "NotIn", values: ["web"] }, { tier: "web" }, false],
    ["NotIn, value not listed", { key: "tier", operator: "NotIn", values: ["db"] }, { tier: "web" }, true],
    ["NotIn, key absent", { key: "tier", operator: "NotIn", values: ["web"] }, {}, true],
    ["Exists, key present", { key: "tier", operator: "Exists" }, { tier: "" }, true],
    ["Exists, key absent", { key: "tier", operator: "Exists" }, {}, false],
    ["DoesNotExist, key present", { key: "tier", operator: "DoesNotExist", values: [] }, { tier: "web" }, false],
    ["DoesNotExist, key absent", { key: "tier", operator: "DoesNotExist" }, {}, true],
  ])("matchExpressions %s", (_, expression, labels, expected) => {
    expect(selects({ matchExpressions: [expression] }, { app: "api", ...labels })).toBe(expected);
  });

  it("ANDs matchLabels and every expression", () => {
    const selector = {
      matchLabels: { app: "api" },
      matchExpressions: [
        { key: "tier", operator: "Exists" },
        { key: "canary", operator: "DoesNotExist" },
      ],
    };
    expect(selects(selector, { app: "api", tier: "web" })).toBe(true);
    expect(selects(selector, { app: "api", tier: "web", canary: "true" })).toBe(false);
    expect(selects(selector, { app: "web", tier: "web" })).toBe(false);
  });

  it.each([
    [
      "an unknown operator",
      { key: "a", operator: "Equals", values: ["b"] },
      'spec.podSelector.matchExpressions[0].operator: "Equals" is not a label selector operator: expected In, NotIn, Exists or DoesNotExist',
    ],
    [
      "In without values",
      { key: "a", operator: "In", values: [] },
      "spec.podSelector.matchExpressions[0].values: operator In needs at least one value",
    ],
    [
      "NotIn without values",
      { key: "a", operator: "NotIn" },
      "spec.podSelector.matchExpressions[0].values: operator NotIn needs at least one value",
    ],
    [
      "Exists with values",
      { key: "a", operator: "Exists", values: ["b"] },
      "spec.podSelector.matchExpressions[0].values: operator Exists takes no values, got 1",
    ],
    ["no key", { operator: "Exists" }, "spec.podSelector.matchExpressions[0].key: expected the label key"],
  ])("refuses a selector with %s, naming the object", (_, expression, error) => {
    expect(refused(docs(netpol("np", { matchExpressions: [expression] }))).error).toBe(
      `NetworkPolicy/prod/np (line 1): ${error}`,
    );
  });

  it("refuses a label value that is not a string (Kubernetes labels are strings)", () => {
    expect(refused(docs(netpol("np", { matchLabels: { version: 2 } }))).error).toBe(
      "NetworkPolicy/prod/np (line 1): spec.podSelector.matchLabels.version: expected a string, got a number (2) (quote numbers and booleans in labels)",
    );
  });
});

describe("imagePinned", () => {
  it.each([
    ["nginx", { name: "nginx", tag: null, digest: null }],
    ["nginx:1.25", { name: "nginx", tag: "1.25", digest: null }],
    ["registry:5000/app", { name: "registry:5000/app", tag: null, digest: null }],
    ["registry:5000/app:2.0", { name: "registry:5000/app", tag: "2.0", digest: null }],
    ["ghcr.io/org/app:latest", { name: "ghcr.io/org/app", tag: "latest", digest: null }],
    [`app@sha256:${"a".repeat(64)}`, { name: "app", tag: null, digest: `sha256:${"a".repeat(64)}` }],
    [`app:1.2@sha256:${"b".repeat(64)}`, { name: "app", tag: "1.2", digest: `sha256:${"b".repeat(64)}` }],
    [
      `localhost:5000/app@sha256:${"c".repeat(64)}`,
      { name: "localhost:5000/app", tag: null, digest: `sha256:${"c".repeat(64)}` },
    ],
  ])("parses %s", (image, expected) => {
    expect(parseImageRef(image)).toEqual(expected);
  });

  it.each([
    ["nginx:1.25.3", null],
    ["registry:5000/app", "has no tag or digest"],
    ["busybox", "has no tag or digest"],
    ["nginx:latest", "is tagged latest"],
    ["nginx:", "has an empty tag"],
    [`nginx:latest@sha256:${"d".repeat(64)}`, null],
    [`app@sha256:${"e".repeat(64)}`, null],
    ["app@sha256:abc", "has a malformed digest"],
  ])("judges %s", (image, problem) => {
    const found = imageProblem(image);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });

  it("checks init containers too, and flags a container with no image", () => {
    const report = analyse(
      docs(
        workload("api", {
          initContainers: [ok("init", { image: "busybox:latest" })],
          containers: [ok("a", { image: undefined }), ok("b", { image: "registry:5000/b" })],
        }),
      ),
    );
    expect(of(report, "imagePinned").map((f) => [f.container, f.message])).toEqual([
      [
        "init",
        'init container "init" image "busybox:latest" is tagged latest, which moves: two nodes can run different code under one manifest',
      ],
      ["a", 'container "a" has no image'],
      [
        "b",
        'container "b" image "registry:5000/b" has no tag or digest, so the runtime pulls latest, whatever that is at the time',
      ],
    ]);
  });
});

describe("runAsNonRoot", () => {
  const run = (containerSc: TC | undefined, podSc?: TC) =>
    messages(
      analyse(
        docs(
          workload("api", {
            containers: [ok("a", { securityContext: containerSc })],
            pod: podSc ? { securityContext: podSc } : {},
          }),
        ),
      ),
      "runAsNonRoot",
    );

  it.each([
    ["runAsNonRoot on the container", { runAsNonRoot: true }, undefined, true],
    ["runAsNonRoot on the pod", undefined, { runAsNonRoot: true }, true],
    ["a non-zero runAsUser alone", { runAsUser: 10001 }, undefined, true],
    [
      "a non-zero runAsUser on the container over the pod's 0",
      { runAsUser: 1000 },
      { runAsUser: 0, runAsNonRoot: true },
      true,
    ],
    ["nothing", undefined, undefined, false],
    [
      "runAsNonRoot: false on the container over the pod's true",
      { runAsNonRoot: false },
      { runAsNonRoot: true },
      false,
    ],
    ["runAsUser 0 with runAsNonRoot", { runAsNonRoot: true, runAsUser: 0 }, undefined, false],
    ["runAsUser 0 on the pod", { runAsNonRoot: true }, { runAsUser: 0 }, false],
  ])("%s", (_, containerSc, podSc, passes) => {
    expect(run(containerSc, podSc).length === 0).toBe(passes);
  });

  it("says where root comes from", () => {
    expect(run({ runAsNonRoot: true, runAsUser: 0 })).toEqual([
      'container "a" runs as UID 0, root (runAsUser: 0 in the container\'s securityContext); with runAsNonRoot: true as well the kubelet refuses to start it',
    ]);
    expect(run(undefined)).toEqual([
      'container "a" sets neither runAsNonRoot: true nor a non-zero runAsUser (container or pod securityContext): it runs as the image\'s user, root unless the image says otherwise',
    ]);
  });

  it("refuses YAML 1.1 booleans, which Kubernetes' reader would take but YAML 1.2 reads as strings", () => {
    expect(
      refused(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsNonRoot: yes}\n  containers: [{name: a, image: a:1}]\n",
      ).error,
    ).toBe(
      'Pod/default/p (line 1): spec.securityContext.runAsNonRoot: expected true or false, got a string ("yes"); write true or false (YAML 1.1\'s yes/no/on/off are not booleans in YAML 1.2)',
    );
  });
});

describe("privileged", () => {
  it("flags securityContext.privileged: true on any container, init containers included; allowPrivilegeEscalation is another matter", () => {
    const report = analyse(
      docs(
        workload("api", {
          initContainers: [ok("sysctl", { securityContext: { runAsNonRoot: true, privileged: true } })],
          containers: [
            ok("a", { securityContext: { runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: true } }),
          ],
        }),
      ),
    );
    expect(of(report, "privileged").map((f) => [f.container, f.message])).toEqual([
      [
        "sysctl",
        'init container "sysctl" runs privileged (securityContext.privileged: true): every capability and the host\'s devices',
      ],
    ]);
    expect(report.rules.privileged).toEqual({ checked: 1, failed: 1 });
  });
});

describe("serviceMonitor", () => {
  const service = (ports: TC[], annotations?: Record<string, string>, ns = "prod"): TC => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "api",
      namespace: ns,
      labels: { app: "api", team: "core" },
      ...(annotations ? { annotations } : {}),
    },
    spec: { selector: { app: "api" }, ports },
  });
  const metrics = [
    { name: "http", port: 80 },
    { name: "metrics", port: 9090 },
  ];
  const monitor = (kind: string, spec: TC, ns = "prod"): TC => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind,
    metadata: { name: "m", namespace: ns },
    spec,
  });
  const run = (...objects: TC[]) => analyse(docs(...objects));

  it('checks Services with a metrics port (metrics, prometheus, *-metrics) or prometheus.io/scrape: "true"', () => {
    const checked = (s: TC) => run(s).rules.serviceMonitor.checked;
    expect(checked(service(metrics))).toBe(1);
    expect(checked(service([{ name: "http-metrics", port: 9100 }]))).toBe(1);
    expect(checked(service([{ name: "prometheus", port: 9100 }]))).toBe(1);
    expect(checked(service([{ name: "http", port: 80 }], { "prometheus.io/scrape": "true" }))).toBe(1);
    expect(checked(service([{ name: "http", port: 9090 }]))).toBe(0);
    expect(checked(service([{ port: 9100 }], { "prometheus.io/scrape": "false" }))).toBe(0);
  });

  it("flags a metrics Service nothing scrapes", () => {
    expect(messages(run(service(metrics)), "serviceMonitor")).toEqual([
      'exposes metrics (port "metrics") but no ServiceMonitor selects it and no PodMonitor selects its pods: nothing scrapes them',
    ]);
  });

  it("passes a ServiceMonitor selecting the Service's labels, in its own namespace unless namespaceSelector says otherwise", () => {
    const sm = (spec: TC, ns?: string) =>
      of(
        run(service(metrics), monitor("ServiceMonitor", { endpoints: [{ port: "metrics" }], ...spec }, ns)),
        "serviceMonitor",
      ).length === 0;
    expect(sm({ selector: { matchLabels: { team: "core" } } })).toBe(true);
    expect(sm({ selector: {} })).toBe(true);
    expect(sm({})).toBe(false);
    expect(sm({ selector: { matchLabels: { app: "web" } } })).toBe(false);
    expect(sm({ selector: { matchLabels: { app: "api" } } }, "monitoring")).toBe(false);
    expect(sm({ selector: { matchLabels: { app: "api" } }, namespaceSelector: { any: true } }, "monitoring")).toBe(
      true,
    );
    expect(
      sm(
        { selector: { matchLabels: { app: "api" } }, namespaceSelector: { matchNames: ["staging", "prod"] } },
        "monitoring",
      ),
    ).toBe(true);
    expect(
      sm({ selector: { matchLabels: { app: "api" } }, namespaceSelector: { matchNames: ["staging"] } }, "monitoring"),
    ).toBe(false);
  });

  it("passes a PodMonitor selecting the pods the Service selects (from the workloads, else the Service's selector)", () => {
    const pm = (selector: TC, withWorkload: boolean) =>
      of(
        run(
          service(metrics),
          ...(withWorkload ? [workload("api", { labels: { app: "api", tier: "web" } })] : []),
          monitor("PodMonitor", { selector, podMetricsEndpoints: [{ port: "metrics" }] }),
        ),
        "serviceMonitor",
      ).length === 0;
    expect(pm({ matchLabels: { tier: "web" } }, true)).toBe(true);
    expect(pm({ matchLabels: { tier: "web" } }, false)).toBe(false);
    expect(pm({ matchLabels: { app: "api" } }, false)).toBe(true);
    expect(pm({ matchLabels: { app: "db" } }, true)).toBe(false);
  });
});

describe("manifest shapes", () => {
  it("reads kind: List items (kubectl get -o yaml) with the List's line, and counts kinds no rule reads", () => {
    const list = {
      apiVersion: "v1",
      kind: "List",
      items: [workload("api"), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "b" } }],
    };
    const crd = {
      apiVersion: "example.com/v1",
      kind: "Widget",
      metadata: { name: "w" },
      spec: { replicas: "many", containers: 3 },
    };
    const old = { ...workload("legacy"), apiVersion: "extensions/v1beta1" };
    const text = `# comment\n${docs(crd, list, old, allowNp)}`;
    const report = analyse(text);
    expect(report.objects).toBe(5);
    expect(report.byKind).toEqual({ Widget: 1, Deployment: 2, ConfigMap: 1, NetworkPolicy: 1 });
    // The extensions/v1beta1 Deployment (removed in 1.16) is not read as a workload.
    expect(report.workloads).toEqual([
      { kind: "Deployment", namespace: "prod", name: "api", replicas: 3, line: lineOf(text, "kind: List") - 1 },
    ]);
  });

  it("reads a CronJob's pod template at spec.jobTemplate.spec.template, and refuses a CronJob without one", () => {
    const report = analyse(
      docs(workload("nightly", { kind: "CronJob", containers: [ok("a", { image: "backup:latest" })] }), allowNp),
    );
    expect(of(report, "imagePinned").map((f) => formatObjectRef(f))).toEqual(["CronJob/prod/nightly"]);
    expect(report.workloads).toEqual([
      { kind: "CronJob", namespace: "prod", name: "nightly", replicas: null, line: 1 },
    ]);
    expect(
      refused(
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: n}\nspec: {schedule: '@daily', jobTemplate: {spec: {}}}\n",
      ).error,
    ).toBe("CronJob/default/n (line 1): spec.jobTemplate.spec.template: expected the CronJob's pod template");
  });

  it("counts any identifier as a kind, even one that names an Object method", () => {
    const report = analyse(
      docs(
        { apiVersion: "x.io/v1", kind: "constructor", metadata: { name: "a" } },
        { apiVersion: "x.io/v1", kind: "toString", metadata: { name: "b" } },
      ),
    );
    expect(report.byKind).toEqual({ constructor: 1, toString: 1 });
  });

  it("names objects without a namespace in the default namespace, or the caller's", () => {
    const text = docs(workload("api", { ns: null, replicas: 1 }), { ...netpol("np", {}), metadata: { name: "np" } });
    expect(analyse(text).findings.map((f) => formatObjectRef(f))).toEqual(["Deployment/default/api"]);
    expect(analyse(text, { defaultNamespace: "team-a" }).findings.map((f) => formatObjectRef(f))).toEqual([
      "Deployment/team-a/api",
    ]);
  });

  it("keeps findings in document order, at most MAX_MANIFEST_FINDINGS, while the rule counts cover every object", () => {
    const bad = (i: number) => workload(`p${i}`, { kind: "Pod", containers: [{ name: "a", image: "a" }] });
    const report = analyse(docs(...Array.from({ length: 300 }, (_, i) => bad(i))));
    expect(report.findings).toHaveLength(MAX_MANIFEST_FINDINGS);
    expect(report.rules.resources).toEqual({ checked: 300, failed: 300 });
    expect(report.rules.imagePinned).toEqual({ checked: 300, failed: 300 });
    expect(report.findings.slice(0, 6).map((f) => [f.name, f.rule])).toEqual([
      ["p0", "resources"],
      ["p0", "probes"],
      ["p0", "networkPolicy"],
      ["p0", "imagePinned"],
      ["p0", "runAsNonRoot"],
      ["p1", "resources"],
    ]);
  });

  it("formats an object reference as kind/namespace/name", () => {
    expect(formatObjectRef({ kind: "Deployment", namespace: "prod", name: "api" })).toBe("Deployment/prod/api");
  });
});

describe("refused and malformed input", () => {
  const np = docs(allowNp);
  const after = np.split("\n").length + 1;

  it.each([
    ["empty text", "", "the manifest is empty"],
    ["not YAML", "apiVersion: v1\nkind: [Pod\n", "YAML syntax"],
    ["XML", "<Deployment/>", "got XML or HTML"],
    [
      "YAML that is not Kubernetes (a compose file)",
      "services:\n  web:\n    image: nginx\n",
      "the manifest holds no Kubernetes object",
    ],
    ["only comments and separators", "# nothing\n---\n---\n", "the manifest holds no Kubernetes object"],
  ])("answers malformed (400) for %s", (_, text, error) => {
    expect(refused(text)).toEqual({ ok: false, malformed: true, error: expect.stringContaining(error) });
  });

  it.each([
    [
      "a document that is a list",
      `${np}---\n- a\n- b\n`,
      `the document at line ${after} is an array, not a Kubernetes object`,
    ],
    [
      "a document that is a scalar",
      `${np}---\njust text\n`,
      `the document at line ${after} is a string, not a Kubernetes object`,
    ],
    ["kind missing", `${np}---\napiVersion: v1\nmetadata: {name: x}\n`, `the document at line ${after} has no kind`],
    [
      "apiVersion missing",
      "kind: Pod\nmetadata: {name: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
      "the document at line 1 has no apiVersion",
    ],
    [
      "metadata.name missing",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: c-\n",
      "the document at line 1: the ConfigMap has no metadata.name (generateName is for kubectl create, not for an applied manifest)",
    ],
    [
      "a kind that is not an identifier",
      "apiVersion: v1\nkind: constructor()\nmetadata: {name: c}\n",
      'the document at line 1: kind "constructor()" is not a Kubernetes kind',
    ],
    [
      "a List item that is not an object",
      "apiVersion: v1\nkind: List\nitems: [3]\n",
      "item 0 of the List at line 1 is a number, not a Kubernetes object",
    ],
    [
      "a namespace that is not a string",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: 7}\n",
      "metadata.namespace: expected a namespace name, got a number (7)",
    ],
    [
      "a Deployment without a pod template",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 2}\n",
      "Deployment/default/d (line 1): spec.template: expected the Deployment's pod template",
    ],
    [
      "a pod with no containers",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n",
      "Pod/default/p (line 1): spec.containers: expected at least one container",
    ],
  ])("refuses (422) %s, naming the document", (_, text, error) => {
    expect(refused(text)).toEqual({ ok: false, malformed: false, error: expect.stringContaining(error) });
  });

  it("refuses an alias bomb, custom tags and !!python/object before building anything", () => {
    const bomb = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata: {name: c}",
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "data: {e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]}",
    ].join("\n");
    expect(refused(bomb)).toMatchObject({ malformed: false, error: expect.stringContaining("aliases expand too far") });
    expect(refused("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: !env NAME}\n")).toMatchObject({
      malformed: false,
      error: expect.stringContaining('the YAML tag "!env"'),
    });
    expect(
      refused("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: !!python/object:os.system {a: ls}\n"),
    ).toMatchObject({ malformed: false, error: expect.stringContaining("python/object") });
  });

  it("resolves merge keys, as Kubernetes' YAML reader does", () => {
    const text =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: prod, labels: {app: p}}\nspec:\n  securityContext: {runAsNonRoot: true}\n  containers:\n    - &base {name: a, image: 'a:1', resources: {limits: {cpu: 1, memory: 1Gi}}}\n    - <<: *base\n      name: b\n";
    expect(of(analyse(text), "resources")).toEqual([]);
  });

  it("refuses a NUL in a name and a __proto__ key (the input policy)", () => {
    expect(refused('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "c\\0d"}\n')).toMatchObject({
      malformed: false,
      error: expect.stringContaining("metadata.name: control character U+0000 (NUL)"),
    });
    expect(refused("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {__proto__: x}\n")).toMatchObject({
      malformed: false,
      error: expect.stringContaining('"__proto__"'),
    });
  });

  it("refuses 5001 documents, and a List of more than 5000 objects", () => {
    const cm = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`;
    expect(refused(Array.from({ length: 5001 }, (_, i) => cm(i)).join("---\n"))).toEqual({
      ok: false,
      malformed: false,
      error: "the manifest holds 5001 YAML documents, more than the 5000 accepted",
    });
    const items = Array.from(
      { length: 5001 },
      (_, i) => `  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c${i}}}`,
    ).join("\n");
    expect(refused(`apiVersion: v1\nkind: List\nitems:\n${items}\n`)).toEqual({
      ok: false,
      malformed: false,
      error: "the manifest holds more than 5000 objects",
    });
  });

  it("refuses a manifest whose selectors would need more than MAX_LABEL_COMPARISONS to match", () => {
    // 2000 pods × 2000 policies whose selectors pass five requirements and fail the sixth: 24 million comparisons.
    const expressions =
      "[" +
      ["a", "b", "c", "d", "e"].map((k) => `{key: ${k}, operator: Exists}`).join(", ") +
      ", {key: z, operator: Exists}]";
    const pods = Array.from(
      { length: 2000 },
      (_, i) =>
        `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, labels: {a: "1", b: "1", c: "1", d: "1", e: "1"}}\nspec: {containers: [{name: a, image: "a:1"}]}\n`,
    );
    const policies = Array.from(
      { length: 2000 },
      (_, i) =>
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n${i}}\nspec: {podSelector: {matchExpressions: ${expressions}}}\n`,
    );
    expect(refused([...pods, ...policies].join("---\n"))).toMatchObject({
      malformed: false,
      error: expect.stringContaining("label selectors need more than 20000000 comparisons"),
    });
  });
});
