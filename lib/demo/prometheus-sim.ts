// Prometheus' HTTP API as far as a readiness dashboard uses it: health/readiness, instant queries, targets.
import {
  GO_NOT_FOUND,
  replyJson,
  replyText,
  type HttpReply,
  type HttpRequestInfo,
  type HttpRoutes,
} from "./http-sim.js";
import { evaluatePromql } from "./prometheus-queries.js";
import { isScrapeUp, SCRAPE_TIMEOUT_MS, type Labels, type QueryContext } from "./prometheus-series.js";
import { SERVICE_KINDS, type PeerStatus } from "./types.js";

export const PROMETHEUS_VERSION = "2.54.1";
const SCRAPE_INTERVAL_S = 15;

const badData = (error: string): HttpReply => replyJson(400, { status: "error", errorType: "bad_data", error });
const success = (data: unknown): HttpReply => replyJson(200, { status: "success", data });

export function createPrometheusRoutes(getPeers: () => readonly PeerStatus[]): HttpRoutes {
  return (request, ctx) => {
    // Prometheus wraps everything in a readiness check that answers exactly this while not ready.
    if (ctx.state().mode === "failing") return replyText(503, "Service Unavailable");
    switch (request.path) {
      case "/-/healthy":
        return replyText(200, "Prometheus Server is Healthy.\n");
      case "/-/ready":
        return replyText(200, "Prometheus Server is Ready.\n");
      case "/api/v1/query":
        return answerQuery(request, getPeers());
      case "/api/v1/targets":
        return success({ activeTargets: getPeers().map(renderTarget), droppedTargets: [], droppedTargetCounts: {} });
      case "/api/v1/status/buildinfo":
        return success({
          version: PROMETHEUS_VERSION,
          revision: "3b61ee4c5ff9a5ba7a0fc4a51e1d6fdda4ec1e4c",
          branch: "HEAD",
          goVersion: "go1.22.6",
        });
      default:
        return GO_NOT_FOUND;
    }
  };
}

function answerQuery(request: HttpRequestInfo, peers: readonly PeerStatus[]): HttpReply {
  if (request.method !== "GET" && request.method !== "POST") return replyText(405, "Method Not Allowed\n");
  const params = new URLSearchParams(request.query);
  if (
    request.method === "POST" &&
    (request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
  ) {
    for (const [key, value] of new URLSearchParams(request.body)) params.append(key, value);
  }
  const timeParam = params.get("time");
  const timeSeconds = timeParam === null ? Date.now() / 1000 : parseTime(timeParam);
  if (timeSeconds === null)
    return badData(`invalid parameter "time": cannot parse "${timeParam}" to a valid timestamp`);

  const ctx: QueryContext = { peers, timeSeconds };
  const result = evaluatePromql(params.get("query") ?? "", ctx);
  const stamp = Math.round(timeSeconds * 1000) / 1000;
  switch (result.kind) {
    case "error":
      return badData(result.message);
    case "scalar":
      return success({ resultType: "scalar", result: [stamp, formatValue(result.value)] });
    case "vector":
      return success({
        resultType: "vector",
        result: result.samples.map((sample) => ({
          metric: sortLabels(sample.labels),
          value: [stamp, formatValue(sample.value)],
        })),
      });
  }
}

/** Prometheus accepts both unix seconds (fractional) and RFC 3339 for `time`. */
function parseTime(value: string): number | null {
  if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(value) ? null : ms / 1000;
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function sortLabels(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function renderTarget(peer: PeerStatus): unknown {
  const instance = `${peer.host}:${peer.port}`;
  const scheme = SERVICE_KINDS[peer.id] === "https" ? "https" : "http";
  const scrapeUrl = `${scheme}://${instance}/metrics`;
  const now = Date.now();
  // Targets are scraped on staggered offsets, like Prometheus spreads them across the interval.
  const offsetMs = (peer.port * 7919) % (SCRAPE_INTERVAL_S * 1000);
  const lastScrape = new Date(now - ((now + offsetMs) % (SCRAPE_INTERVAL_S * 1000)));
  const up = isScrapeUp(peer);
  return {
    discoveredLabels: { __address__: instance, __metrics_path__: "/metrics", __scheme__: scheme, job: peer.id },
    labels: { instance, job: peer.id },
    scrapePool: peer.id,
    scrapeUrl,
    globalUrl: scrapeUrl,
    lastError: up ? "" : describeScrapeError(peer, scrapeUrl, instance),
    lastScrape: lastScrape.toISOString(),
    lastScrapeDuration: peer.state.mode === "slow" ? Math.min(peer.state.delayMs, SCRAPE_TIMEOUT_MS) / 1000 : 0.0023,
    health: up ? "up" : "down",
    scrapeInterval: `${SCRAPE_INTERVAL_S}s`,
    scrapeTimeout: `${SCRAPE_TIMEOUT_MS / 1000}s`,
  };
}

function describeScrapeError(peer: PeerStatus, scrapeUrl: string, instance: string): string {
  switch (peer.state.mode) {
    case "down":
      return `Get "${scrapeUrl}": dial tcp ${instance}: connect: connection refused`;
    case "failing":
      return "server returned HTTP status 503 Service Unavailable";
    default:
      return `Get "${scrapeUrl}": context deadline exceeded`;
  }
}
