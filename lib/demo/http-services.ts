// Routes for the simple HTTP services of x0tta6bl4. Bodies mirror what the real services send, because the
// dashboard's probes parse them; "failing" answers every route with the service's own 503, the way a process
// that is up but broken (dead DB pool, not ready) does.
import { formatGoDuration, GO_NOT_FOUND, replyJson, replyText, type HttpReply, type HttpRoutes } from "./http-sim.js";
import type { SimulatorContext } from "./switchable-server.js";
import type { PeerStatus } from "./types.js";

export const API_VERSION = "2.4.1";
export const GRAFANA_VERSION = "11.3.0";
const GRAFANA_COMMIT = "d9455ff7db73b694db7d412e49a68bec767f2b5a";
const ALERTMANAGER_VERSION = "0.27.0";

const uptimeSeconds = (ctx: SimulatorContext): number => (Date.now() - ctx.startedAt().getTime()) / 1000;

type RequestCounter = { handler: string; method: string; status: string; count: number; durationSum: number };
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

export function createApiRoutes(): HttpRoutes {
  const counters = new Map<string, RequestCounter>();
  const bucketCounts = LATENCY_BUCKETS.map(() => 0);
  let observed = 0;
  let durationSum = 0;

  const record = (handler: string, method: string, reply: HttpReply, ctx: SimulatorContext): HttpReply => {
    const status = `${String(reply.status).charAt(0)}xx`;
    const key = `${handler} ${method} ${status}`;
    const seconds = ctx.state().delayMs / 1000 + 0.002 + Math.random() * 0.01;
    const counter = counters.get(key) ?? { handler, method, status, count: 0, durationSum: 0 };
    counter.count += 1;
    counter.durationSum += seconds;
    counters.set(key, counter);
    LATENCY_BUCKETS.forEach((le, i) => {
      if (seconds <= le) bucketCounts[i] = (bucketCounts[i] ?? 0) + 1;
    });
    observed += 1;
    durationSum += seconds;
    return reply;
  };

  const renderMetrics = (ctx: SimulatorContext): string => {
    const lines = [
      "# HELP http_requests_total Total number of requests by method, status and handler.",
      "# TYPE http_requests_total counter",
      ...[...counters.values()].map(
        (c) => `http_requests_total{handler="${c.handler}",method="${c.method}",status="${c.status}"} ${c.count}`,
      ),
      "# HELP http_request_duration_seconds Latency with only few buckets by handler.",
      "# TYPE http_request_duration_seconds histogram",
      ...LATENCY_BUCKETS.map((le, i) => `http_request_duration_seconds_bucket{le="${le}"} ${bucketCounts[i] ?? 0}`),
      `http_request_duration_seconds_bucket{le="+Inf"} ${observed}`,
      `http_request_duration_seconds_count ${observed}`,
      `http_request_duration_seconds_sum ${durationSum.toFixed(6)}`,
      "# HELP x0tta6bl4_uptime_seconds Seconds since the API process started.",
      "# TYPE x0tta6bl4_uptime_seconds gauge",
      `x0tta6bl4_uptime_seconds ${uptimeSeconds(ctx).toFixed(3)}`,
    ];
    return `${lines.join("\n")}\n`;
  };

  return (request, ctx) => {
    const handler = ["/health", "/metrics", "/api/v1/"].includes(request.path) ? request.path : "none";
    const uptime = Math.floor(uptimeSeconds(ctx));
    if (ctx.state().mode === "failing") {
      const body = {
        status: "unhealthy",
        version: API_VERSION,
        uptime_seconds: uptime,
        detail: "database pool exhausted",
      };
      return record(handler, request.method, replyJson(503, body), ctx);
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return record(handler, request.method, replyJson(405, { detail: "Method Not Allowed" }), ctx);
    }
    switch (request.path) {
      case "/health":
        return record(
          handler,
          request.method,
          replyJson(200, { status: "healthy", version: API_VERSION, uptime_seconds: uptime }),
          ctx,
        );
      case "/metrics":
        // Rendered before recording so the scrape shows the counts up to, not including, itself.
        return record(
          handler,
          request.method,
          replyText(200, renderMetrics(ctx), "text/plain; version=0.0.4; charset=utf-8"),
          ctx,
        );
      case "/api/v1/":
      case "/api/v1":
        return record(
          handler,
          request.method,
          replyJson(200, { service: "x0tta6bl4", api_version: "v1", version: API_VERSION, docs: "/docs" }),
          ctx,
        );
      default:
        return record(handler, request.method, replyJson(404, { detail: "Not Found" }), ctx);
    }
  };
}

export function createGrafanaRoutes(): HttpRoutes {
  return (request, ctx) => {
    const failing = ctx.state().mode === "failing";
    if (request.path === "/api/health") {
      const body = { commit: GRAFANA_COMMIT, database: failing ? "failing" : "ok", version: GRAFANA_VERSION };
      return replyJson(failing ? 503 : 200, body, true);
    }
    if (failing) return replyJson(503, { message: "Service unavailable" });
    return replyJson(404, { message: "Not found" });
  };
}

export function createJaegerAdminRoutes(): HttpRoutes {
  return (request, ctx) => {
    if (request.path !== "/") return GO_NOT_FOUND;
    // Jaeger only knows its start time once it became ready, so an unavailable one reports Go's zero time.
    if (ctx.state().mode === "failing") {
      return replyJson(503, { status: "Server not available", upSince: "0001-01-01T00:00:00Z" });
    }
    const upSince = ctx.startedAt();
    const uptime = formatGoDuration(Date.now() - upSince.getTime());
    return replyJson(200, { status: "Server available", upSince: upSince.toISOString(), uptime });
  };
}

export function createAlertmanagerRoutes(getPeers: () => readonly PeerStatus[]): HttpRoutes {
  return (request, ctx) => {
    if (ctx.state().mode === "failing") return replyText(503, "Service Unavailable\n");
    switch (request.path) {
      case "/-/healthy":
      case "/-/ready":
        return replyText(200, "OK");
      case "/api/v2/status":
        return replyJson(200, renderAlertmanagerStatus(ctx));
      case "/api/v2/alerts":
        return replyJson(200, renderTargetDownAlerts(getPeers()));
      default:
        return GO_NOT_FOUND;
    }
  };
}

function renderAlertmanagerStatus(ctx: SimulatorContext): unknown {
  return {
    cluster: { name: "01JD8Z5X0TTA6BL4DEM0C1USTER", peers: [], status: "disabled" },
    config: {
      original:
        "global:\n  resolve_timeout: 5m\nroute:\n  receiver: default\n  group_by:\n  - alertname\n  - job\nreceivers:\n- name: default\ntemplates: []\n",
    },
    uptime: ctx.startedAt().toISOString(),
    versionInfo: {
      branch: "HEAD",
      buildDate: "20240228-11:51:20",
      buildUser: "root@22cd11f671e9",
      goVersion: "go1.21.7",
      revision: "0aa3c2aad14cff039931923ab16b26b7481783b5",
      version: ALERTMANAGER_VERSION,
    },
  };
}

/** The alerts a stock "TargetDown" rule would have fired for the services that are currently not healthy. */
function renderTargetDownAlerts(peers: readonly PeerStatus[]): unknown[] {
  return peers
    .filter((peer) => peer.state.mode === "down" || peer.state.mode === "failing")
    .map((peer) => {
      const startsAt = peer.state.since.toISOString();
      return {
        annotations: { summary: `${peer.id} on ${peer.host}:${peer.port} is ${peer.state.mode}` },
        endsAt: new Date(Date.now() + 4 * 60_000).toISOString(),
        fingerprint: Buffer.from(`TargetDown/${peer.id}`).toString("hex").slice(0, 16),
        receivers: [{ name: "default" }],
        startsAt,
        status: { inhibitedBy: [], silencedBy: [], state: "active" },
        updatedAt: new Date().toISOString(),
        generatorURL: `http://prometheus/graph?g0.expr=up%7Bjob%3D%22${peer.id}%22%7D+%3D%3D+0`,
        labels: { alertname: "TargetDown", job: peer.id, instance: `${peer.host}:${peer.port}`, severity: "critical" },
      };
    });
}
