// Prometheus: its own health (/-/healthy), the health of a scrape target (/api/v1/targets), or an instant
// query (/api/v1/query) whose first sample becomes [VALUE].
import type { TPrometheusProbe } from "../config/probe-schema";
import { mentionsPlaceholder } from "../conditions/compile";
import { formatActual } from "../conditions/format";
import type { ConditionValues } from "../conditions/types";
import { withDeadline } from "./errors";
import { describeHttpReply, sendHttpRequest } from "./http-request";
import { joinUrl } from "./presets";
import { loadTlsMaterial } from "./tls-material";
import type { ProbeOutcome } from "./types";
import { failProbe, judgeProbe } from "./verdict";

type Reading = { detail: string; problems: string[]; implicit: string[]; usable: boolean };

export async function runPrometheusProbe(probe: TPrometheusProbe, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  try {
    const reply = await withDeadline(
      (async () =>
        sendHttpRequest({
          url: buildUrl(probe),
          method: "GET",
          headers: { accept: "application/json", ...probe.headers },
          tls: await loadTlsMaterial(probe.tls),
          followRedirects: false,
          signal: controller.signal,
        }))(),
      timeoutMs,
      () => controller.abort(),
    );
    const latencyMs = performance.now() - started;
    const values = describeHttpReply(reply, latencyMs);
    const reading =
      probe.query !== undefined
        ? readQuery(values)
        : probe.target !== undefined
          ? readTarget(probe, values)
          : readHealth(probe, values);
    return judgeProbe({
      latencyMs,
      detail: reading.detail,
      values,
      implicit: reading.implicit,
      conditions: probe.conditions,
      problems: reading.problems,
      skipConditions: !reading.usable,
    });
  } catch (error) {
    return failProbe(started, error);
  }
}

function buildUrl(probe: TPrometheusProbe): string {
  if (probe.query === undefined && probe.target === undefined) return joinUrl(probe.url, "-/healthy");
  const url = new URL(joinUrl(probe.url, probe.query !== undefined ? "api/v1/query" : "api/v1/targets"));
  if (probe.query !== undefined) url.searchParams.set("query", probe.query);
  else url.searchParams.set("state", "active");
  return url.toString();
}

function readHealth(probe: TPrometheusProbe, values: ConditionValues): Reading {
  const implicit = mentionsPlaceholder(probe.conditions, "STATUS") ? [] : ["[STATUS] == 200"];
  return { detail: `HTTP ${String(values.STATUS)}`, problems: [], implicit, usable: true };
}

/** The API's envelope: `{status: "success", data}` or `{status: "error", error}`; anything else is not Prometheus. */
function readEnvelope(values: ConditionValues): { data: Record<string, unknown> } | { problem: string } {
  const body = values.BODY;
  const envelope = body !== null && typeof body === "object" ? (body as Record<string, unknown>) : null;
  if (envelope?.status === "error")
    return { problem: `Prometheus error: ${String(envelope.error ?? envelope.errorType ?? "unknown")}` };
  if (values.STATUS !== 200) return { problem: `HTTP ${String(values.STATUS)}, expected 200` };
  const data = envelope?.status === "success" ? envelope.data : undefined;
  if (data === null || typeof data !== "object") return { problem: "not a Prometheus API reply" };
  return { data: data as Record<string, unknown> };
}

type Target = { labels?: Record<string, string>; health?: string; lastError?: string };

function readTarget(probe: TPrometheusProbe, values: ConditionValues): Reading {
  const { job, instance } = probe.target ?? { job: "" };
  const selector = instance === undefined ? `job=${job}` : `job=${job}, instance=${instance}`;
  const envelope = readEnvelope(values);
  if ("problem" in envelope)
    return { detail: `HTTP ${String(values.STATUS)}`, problems: [envelope.problem], implicit: [], usable: false };
  const targets = (Array.isArray(envelope.data.activeTargets) ? envelope.data.activeTargets : []) as Target[];
  const matching = targets.filter(
    (t) => t.labels?.job === job && (instance === undefined || t.labels?.instance === instance),
  );
  if (matching.length === 0)
    return { detail: "no target", problems: [`no active target with ${selector}`], implicit: [], usable: false };
  // The worst of the matching targets: one instance down is a job that is not fully up.
  const health = ["down", "unknown"].find((h) => matching.some((t) => t.health === h)) ?? "up";
  values.TARGET_HEALTH = health;
  const lastError = matching.find((t) => t.health !== "up" && t.lastError)?.lastError;
  const count = matching.length > 1 ? `, ${matching.length} targets` : "";
  return {
    detail: `${health} (${selector}${count})`,
    problems: health !== "up" && lastError ? [`last scrape error: ${lastError}`] : [],
    implicit: mentionsPlaceholder(probe.conditions, "TARGET_HEALTH") ? [] : ["[TARGET_HEALTH] == up"],
    usable: true,
  };
}

function readQuery(values: ConditionValues): Reading {
  const envelope = readEnvelope(values);
  if ("problem" in envelope)
    return { detail: `HTTP ${String(values.STATUS)}`, problems: [envelope.problem], implicit: [], usable: false };
  const samples = extractSamples(envelope.data);
  if (samples.length === 0)
    return { detail: "no samples", problems: ["query returned no samples"], implicit: [], usable: false };
  values.VALUE = samples[0];
  const count = samples.length > 1 ? ` (first of ${samples.length} samples)` : "";
  return { detail: `value ${formatActual(values.VALUE)}${count}`, problems: [], implicit: [], usable: true };
}

/** Values of a scalar, a vector, or a matrix (last point of each series), as numbers ("+Inf" and "NaN" included). */
function extractSamples(data: Record<string, unknown>): number[] {
  const result = data.result;
  const toNumber = (pair: unknown): number | null =>
    Array.isArray(pair) && pair.length === 2 ? parseSampleValue(pair[1]) : null;
  if (data.resultType === "scalar") return [toNumber(result)].filter((v): v is number => v !== null);
  if (!Array.isArray(result)) return [];
  return result
    .map((series: unknown) => {
      const s = series as { value?: unknown; values?: unknown[] };
      return s.value !== undefined ? toNumber(s.value) : toNumber(s.values?.at(-1));
    })
    .filter((v): v is number => v !== null);
}

function parseSampleValue(raw: unknown): number | null {
  if (typeof raw !== "string") return null;
  if (raw === "+Inf") return Infinity;
  if (raw === "-Inf") return -Infinity;
  const value = Number(raw);
  return Number.isNaN(value) && raw !== "NaN" ? null : value;
}
