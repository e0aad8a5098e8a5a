// Probe definitions: what each probe type connects to and which conditions (lib/conditions) it can evaluate.
// Conditions are parsed here, at configuration load, so a typo is reported with the file, line and column of
// the expression instead of showing up later as a component that is always down.
import { z } from "zod";
import { mentionsPlaceholder } from "../conditions/compile";
import { parseCondition } from "../conditions/parse";
import type { Placeholder } from "../conditions/types";
import { ZHttpUrl, ZUrl } from "./url";

export const PROBE_TYPES = [
  "http",
  "tcp",
  "postgres",
  "redis",
  "prometheus",
  "grafana",
  "alertmanager",
  "jaeger",
] as const;
export type TProbeType = (typeof PROBE_TYPES)[number];

const HTTP_PLACEHOLDERS: readonly Placeholder[] = [
  "STATUS",
  "RESPONSE_TIME",
  "BODY",
  "HEADER",
  "TLS_VERSION",
  "CERT_EXPIRY_DAYS",
  "MTLS_ENFORCED",
];
const PROMETHEUS_PLACEHOLDERS: readonly Placeholder[] = [
  "STATUS",
  "RESPONSE_TIME",
  "BODY",
  "HEADER",
  "TLS_VERSION",
  "CERT_EXPIRY_DAYS",
];

/** What each probe type measures; a condition on anything else is a configuration error. */
export const PROBE_PLACEHOLDERS = {
  http: HTTP_PLACEHOLDERS,
  grafana: HTTP_PLACEHOLDERS,
  alertmanager: HTTP_PLACEHOLDERS,
  jaeger: HTTP_PLACEHOLDERS,
  // Only a TCP probe treats a refused connection as a measurement, so `[CONNECTED] == false` can assert a closed port.
  tcp: ["CONNECTED", "RESPONSE_TIME"],
  postgres: ["RESULT", "ROWS", "RESPONSE_TIME"],
  redis: ["INFO", "RESPONSE_TIME"],
  prometheus: PROMETHEUS_PLACEHOLDERS,
} satisfies Record<TProbeType, readonly Placeholder[]>;

const ZStatusCode = z
  .number({ error: "expected an HTTP status code" })
  .int({ error: "expected an HTTP status code" })
  .min(100, { error: "expected an HTTP status code between 100 and 599" })
  .max(599, { error: "expected an HTTP status code between 100 and 599" });

const ZConditions = z.array(z.string({ error: 'expected a condition such as "[STATUS] == 200"' })).optional();

const ZHeaders = z.record(z.string(), z.string({ error: "expected a header value (text)" })).default({});

const ZPemOrPath = z
  .string({ error: "expected a file path or a PEM block" })
  .min(1, { error: "expected a file path or a PEM block" });

/** Client-side TLS: a private CA to trust, a client certificate for mTLS, SNI for connecting by address. */
export const ZTls = z
  .strictObject({
    /** Path to a PEM file, or the PEM text itself (from `${VAR}`); replaces the system trust store. */
    ca: ZPemOrPath.optional(),
    cert: ZPemOrPath.optional(),
    key: ZPemOrPath.optional(),
    /** Off only for a known self-signed certificate; an unverified TLS check proves little. */
    rejectUnauthorized: z.boolean().default(true),
    servername: z.string().min(1).optional(),
  })
  .superRefine((tls, ctx) => {
    if ((tls.cert === undefined) !== (tls.key === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [tls.cert === undefined ? "cert" : "key"],
        message: "tls.cert and tls.key go together (a client certificate needs its key)",
      });
    }
  });

type ProbeLike = { conditions?: string[] | undefined };

/** Adds an issue at `conditions[i]` for each condition that does not parse against `allowed`. */
function checkConditions(
  probe: ProbeLike,
  allowed: readonly Placeholder[],
  subject: string,
  ctx: z.RefinementCtx,
): void {
  probe.conditions?.forEach((source, index) => {
    const parsed = parseCondition(source, allowed, { subject });
    if (!parsed.ok) {
      ctx.addIssue({
        code: "custom",
        path: ["conditions", index],
        message: `${JSON.stringify(source)}, column ${parsed.column}: ${parsed.error}`,
      });
    }
  });
}

export const ZHttpProbe = z
  .strictObject({
    type: z.literal("http"),
    url: ZHttpUrl,
    method: z.enum(["GET", "HEAD", "POST"]).default("GET"),
    headers: ZHeaders,
    /** Status codes counted as success; default: any 2xx, unless a condition looks at [STATUS]. */
    expectStatus: z.array(ZStatusCode).min(1).optional(),
    /** A redirect is a failure unless this is set, so a redirect to a login page is not "up" by accident. */
    followRedirects: z.boolean().default(false),
    tls: ZTls.optional(),
    /** Request body, sent with POST. */
    body: z.string().optional(),
    /** Shortcut for `[MTLS_ENFORCED] == true`: a connection without a client certificate must be refused. */
    mtlsEnforced: z.boolean().optional(),
    conditions: ZConditions,
  })
  .superRefine((probe, ctx) => {
    checkConditions(probe, PROBE_PLACEHOLDERS.http, "http probes", ctx);
    if (probe.body !== undefined && probe.method !== "POST") {
      ctx.addIssue({
        code: "custom",
        path: ["body"],
        message: `a body is sent with method: POST only (method is ${probe.method})`,
      });
    }
    const https = probe.url.startsWith("https:");
    if ((probe.mtlsEnforced === true || mentionsPlaceholder(probe.conditions, "MTLS_ENFORCED")) && !https) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "checking mTLS needs an https:// URL" });
    }
    if (probe.mtlsEnforced === true && (probe.tls?.cert === undefined || probe.tls.key === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["mtlsEnforced"],
        message:
          "mtlsEnforced needs tls.cert and tls.key: the check connects once with the client certificate and once without",
      });
    }
  });

export const ZTcpProbe = z
  .strictObject({
    type: z.literal("tcp"),
    host: z.string({ error: "expected a host name or address" }).min(1, { error: "expected a host name or address" }),
    port: z
      .number({ error: "expected a port number" })
      .int()
      .min(1, { error: "expected a port between 1 and 65535" })
      .max(65_535, { error: "expected a port between 1 and 65535" }),
    conditions: ZConditions,
  })
  .superRefine((probe, ctx) => checkConditions(probe, PROBE_PLACEHOLDERS.tcp, "tcp probes", ctx));

export const ZPostgresProbe = z
  .strictObject({
    type: z.literal("postgres"),
    url: ZUrl(["postgres", "postgresql"]),
    /** Default `SELECT 1`, with the condition `[RESULT] == 1`. Runs as given: point it at a read-only role. */
    query: z.string().min(1, { error: "expected a SQL query" }).optional(),
    conditions: ZConditions,
  })
  .superRefine((probe, ctx) => checkConditions(probe, PROBE_PLACEHOLDERS.postgres, "postgres probes", ctx));

export const ZRedisProbe = z
  .strictObject({
    type: z.literal("redis"),
    url: ZUrl(["redis", "rediss"]),
    conditions: ZConditions,
  })
  .superRefine((probe, ctx) => checkConditions(probe, PROBE_PLACEHOLDERS.redis, "redis probes", ctx));

export const ZPrometheusProbe = z
  .strictObject({
    type: z.literal("prometheus"),
    /** Base URL of the server, e.g. http://prometheus:9090. */
    url: ZHttpUrl,
    /** GET /-/healthy; the default when neither target nor query is given. */
    check: z.literal("healthy", { error: "expected check: healthy (or use target or query)" }).optional(),
    /** Health of the scrape targets with this job (and instance), from /api/v1/targets. */
    target: z.strictObject({ job: z.string().min(1), instance: z.string().min(1).optional() }).optional(),
    /** An instant PromQL query; [VALUE] is its first sample. */
    query: z.string().min(1, { error: "expected a PromQL expression" }).optional(),
    headers: ZHeaders,
    tls: ZTls.optional(),
    conditions: ZConditions,
  })
  .superRefine((probe, ctx) => {
    if (probe.target !== undefined && probe.query !== undefined) {
      ctx.addIssue({ code: "custom", path: ["query"], message: "give either target or query, not both" });
    }
    if (probe.check !== undefined && (probe.target !== undefined || probe.query !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["check"],
        message: "check: healthy cannot be combined with target or query",
      });
    }
    const mode = probe.query !== undefined ? "query" : probe.target !== undefined ? "target" : "check: healthy";
    const extra: Placeholder[] =
      probe.query !== undefined ? ["VALUE"] : probe.target !== undefined ? ["TARGET_HEALTH"] : [];
    checkConditions(probe, [...PROBE_PLACEHOLDERS.prometheus, ...extra], `prometheus probes with ${mode}`, ctx);
  });

const presetFields = {
  url: ZHttpUrl,
  headers: ZHeaders,
  tls: ZTls.optional(),
  /** Checked in addition to the preset's own. */
  conditions: ZConditions,
};

/** GET {url}/api/health: 200 and `[BODY].database == ok`. */
export const ZGrafanaProbe = z
  .strictObject({ type: z.literal("grafana"), ...presetFields })
  .superRefine((probe, ctx) => checkConditions(probe, PROBE_PLACEHOLDERS.grafana, "grafana probes", ctx));

/** GET {url}/-/healthy: 200. */
export const ZAlertmanagerProbe = z
  .strictObject({ type: z.literal("alertmanager"), ...presetFields })
  .superRefine((probe, ctx) => checkConditions(probe, PROBE_PLACEHOLDERS.alertmanager, "alertmanager probes", ctx));

/** GET {adminUrl or url}/: 200 and `[BODY].status == "Server available"`. */
export const ZJaegerProbe = z
  .strictObject({
    type: z.literal("jaeger"),
    ...presetFields,
    /** The admin port (14269), where Jaeger serves its health check; default: url. */
    adminUrl: ZHttpUrl.optional(),
  })
  .superRefine((probe, ctx) => checkConditions(probe, PROBE_PLACEHOLDERS.jaeger, "jaeger probes", ctx));

export const ZProbe = z.discriminatedUnion(
  "type",
  [
    ZHttpProbe,
    ZTcpProbe,
    ZPostgresProbe,
    ZRedisProbe,
    ZPrometheusProbe,
    ZGrafanaProbe,
    ZAlertmanagerProbe,
    ZJaegerProbe,
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `expected probe type to be one of ${PROBE_TYPES.map((t) => `"${t}"`).join(", ")}`
        : undefined,
  },
);

export type TTls = z.output<typeof ZTls>;
export type THttpProbe = z.output<typeof ZHttpProbe>;
export type TTcpProbe = z.output<typeof ZTcpProbe>;
export type TPostgresProbe = z.output<typeof ZPostgresProbe>;
export type TRedisProbe = z.output<typeof ZRedisProbe>;
export type TPrometheusProbe = z.output<typeof ZPrometheusProbe>;
export type TGrafanaProbe = z.output<typeof ZGrafanaProbe>;
export type TAlertmanagerProbe = z.output<typeof ZAlertmanagerProbe>;
export type TJaegerProbe = z.output<typeof ZJaegerProbe>;
export type TPresetProbe = TGrafanaProbe | TAlertmanagerProbe | TJaegerProbe;
export type TProbe = z.output<typeof ZProbe>;
