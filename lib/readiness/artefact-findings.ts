import { portFindings, type TComposeFinding, type TComposePort, type TComposeRule } from "../evidence/compose";
import {
  replicaFindings,
  type TManifestFinding,
  type TManifestRule,
  type TManifestWorkload,
} from "../evidence/kubernetes";

// The findings a check (or a page) sees in a stored manifest or compose report. Most rules are judged once, when the
// artefact is pushed; the two that depend on a check's own setting (the replica minimum, the addresses a port may
// bind to) are judged again from what was stored, so two checks with different settings read the same evidence.

export const MANIFEST_RULE_LABELS: Record<TManifestRule, string> = {
  resources: "resource requests and limits",
  probes: "readiness and liveness probes that differ",
  replicas: "replicas",
  disruptionBudget: "a PodDisruptionBudget that allows a disruption",
  networkPolicy: "a NetworkPolicy",
  imagePinned: "images pinned",
  runAsNonRoot: "runAsNonRoot",
  privileged: "no privileged container",
  serviceMonitor: "a ServiceMonitor for every metrics port",
};

export const COMPOSE_RULE_LABELS: Record<TComposeRule, string> = {
  healthcheck: "healthchecks",
  restart: "restart policies",
  imagePinned: "images pinned",
  namedVolumes: "named volumes for state",
  hostNetwork: "no host network",
  ports: "ports bound as configured",
};

/** Workloads whose replica count is judged: those that have one (not DaemonSets, Jobs or bare Pods). */
export function replicaWorkloads(workloads: TManifestWorkload[]): TManifestWorkload[] {
  return workloads.filter((w) => w.replicas !== null);
}

export function manifestFindings(
  report: { findings: TManifestFinding[]; workloads: TManifestWorkload[] },
  rules: readonly TManifestRule[],
  minReplicas: number,
): TManifestFinding[] {
  const wanted = new Set(rules);
  const stored = report.findings.filter((f) => wanted.has(f.rule) && f.rule !== "replicas");
  return wanted.has("replicas") ? [...stored, ...replicaFindings(report.workloads, minReplicas)] : stored;
}

export function composeFindings(
  report: { findings: TComposeFinding[]; ports: TComposePort[] },
  rules: readonly TComposeRule[],
  bindHosts: readonly string[],
): TComposeFinding[] {
  const wanted = new Set(rules);
  const stored = report.findings.filter((f) => wanted.has(f.rule) && f.rule !== "ports");
  return wanted.has("ports") ? [...stored, ...portFindings(report.ports, bindHosts)] : stored;
}
