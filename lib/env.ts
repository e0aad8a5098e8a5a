import { isIP } from "node:net";
import { z } from "zod";

const ZBool = z
  .enum(["true", "false", "1", "0", ""], { error: "expected true or false" })
  .transform((v) => v === "true" || v === "1");

export const ZEnv = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** PostgreSQL server; when unset, Preflight runs on the embedded database in PREFLIGHT_DATA_DIR. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: "expected a postgresql:// URL" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /**
     * The connection migrations run over: the role that owns the schema (and so the audit log), which the app itself
     * does not log in as. When unset, migrations run over DATABASE_URL.
     */
    DATABASE_MIGRATE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: "expected a postgresql:// URL" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** Redis server for locks and pub/sub; when unset they stay in-process. */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, { error: "expected a redis:// URL" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    PREFLIGHT_CONFIG: z.string().min(1).default("preflight.config.yaml"),
    PREFLIGHT_DATA_DIR: z.string().min(1).default(".preflight"),
    /** The append-only file every committed audit entry's hash is anchored in (default: audit-anchor.log in the data directory). */
    PREFLIGHT_AUDIT_ANCHOR_FILE: z
      .string()
      .min(1)
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** Whether the web process runs the scheduler itself (single-instance deployments). */
    PREFLIGHT_EMBEDDED_WORKER: ZBool.default(true),
    /** Set by `npm run demo`: the demo stack's control server. */
    PREFLIGHT_DEMO_CONTROL_URL: z.url({ error: "expected a URL" }).optional(),
    /** `npm run demo` only: the demo API token to install instead of a random one (end-to-end tests fix it). */
    PREFLIGHT_DEMO_TOKEN: z
      .string()
      .regex(/^pf_[A-Za-z0-9_-]{43}$/, { error: "expected a Preflight token: pf_ and 43 base64url characters" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /**
     * Signs session cookies. Every web replica needs the same value; when unset, the launcher keeps one in
     * PREFLIGHT_DATA_DIR/auth-secret (enough for a single instance).
     */
    PREFLIGHT_AUTH_SECRET: z
      .string()
      .min(32, { error: "expected at least 32 characters" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** The address people open, e.g. https://preflight.example.com: cookies are Secure when it is https. */
    PREFLIGHT_PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /**
     * The Ed25519 private key (PKCS#8 PEM) readiness statements are signed with. Every web replica needs the same
     * one; when unset, one is kept in PREFLIGHT_DATA_DIR/statement-signing-key.pem (0600).
     */
    PREFLIGHT_STATEMENT_KEY: z
      .string()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** When set, GET /metrics needs it as a bearer token (Prometheus: authorization.credentials). */
    PREFLIGHT_METRICS_TOKEN: z
      .string()
      .min(16, { error: "expected at least 16 characters" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** `npm run demo` only: the password of the demo users (end-to-end tests fix it). */
    PREFLIGHT_DEMO_PASSWORD: z
      .string()
      .min(12, { error: "expected at least 12 characters" })
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** The worker touches this file on every heartbeat, for container health checks. */
    PREFLIGHT_HEARTBEAT_FILE: z.string().min(1).optional(),
    /**
     * Proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For is believed; from anyone else the
     * socket's address counts, so a client cannot name its own address to the sign-in throttle.
     */
    PREFLIGHT_TRUSTED_PROXIES: z
      .string()
      .refine(
        (text) =>
          text
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
            .every((entry) => {
              const [address, bits] = entry.split("/");
              const family = isIP(address ?? "");
              return (
                family !== 0 &&
                (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)))
              );
            }),
        { error: "expected IP addresses or CIDR ranges separated by commas, e.g. 10.0.0.0/8, ::1" },
      )
      .optional(),
    /** The address the web server binds to; every interface when unset (`npm run demo` binds to 127.0.0.1). */
    PREFLIGHT_HOST: z
      .string()
      .min(1)
      .optional()
      .or(z.literal("").transform(() => undefined)),
    PORT: z.coerce.number({ error: "expected a port number" }).int().min(1).max(65_535).default(3000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((env, ctx) => {
    // The embedded database has a single role, so there is no separate owner to migrate as.
    if (env.DATABASE_MIGRATE_URL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_MIGRATE_URL"],
        message: "needs DATABASE_URL too (the embedded database has one role)",
      });
    }
  });

export type TEnv = z.output<typeof ZEnv>;

export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

const globalForEnv = globalThis as unknown as { preflightEnv?: TEnv };

/** The process environment, validated once. */
export function getEnv(): TEnv {
  globalForEnv.preflightEnv ??= parseEnv(process.env);
  return globalForEnv.preflightEnv;
}
