import { z } from "zod";
import { parseDuration } from "./duration";

/** A duration such as "5s" or "500ms" (or a number of milliseconds), parsed to milliseconds. */
const ZDuration = (label: string, { min = 0, max = Number.POSITIVE_INFINITY } = {}) =>
  z
    .union([z.string(), z.number()], { error: `expected a duration such as "5s" or "500ms"` })
    .transform((raw, ctx) => {
      const ms = parseDuration(raw);
      if (ms === null) {
        ctx.addIssue({ code: "custom", message: `expected a duration such as "5s" or "500ms", got ${JSON.stringify(raw)}` });
        return z.NEVER;
      }
      if (ms < min || ms > max) {
        ctx.addIssue({
          code: "custom",
          message: `${label} must be between ${min} ms and ${max} ms, got ${ms} ms`,
        });
        return z.NEVER;
      }
      return ms;
    });

const ZId = z
  .string({ error: "expected an id (lowercase letters, digits and dashes)" })
  .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "expected an id of lowercase letters, digits and dashes, starting with a letter" });

const ZUrlWithSchemes = (schemes: string[]) =>
  z.string({ error: "expected a URL" }).refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ""));
      } catch {
        return false;
      }
    },
    { error: `expected a URL starting with ${schemes.map((s) => `${s}://`).join(" or ")}` },
  );

const ZStatusCode = z
  .number({ error: "expected an HTTP status code" })
  .int({ error: "expected an HTTP status code" })
  .min(100, { error: "expected an HTTP status code between 100 and 599" })
  .max(599, { error: "expected an HTTP status code between 100 and 599" });

export const ZHttpProbe = z.strictObject({
  type: z.literal("http"),
  url: ZUrlWithSchemes(["http", "https"]),
  method: z.enum(["GET", "HEAD", "POST"]).default("GET"),
  headers: z.record(z.string(), z.string()).default({}),
  /** Status codes counted as success; default: any 2xx. */
  expectStatus: z.array(ZStatusCode).min(1).optional(),
  /** A redirect is a failure unless this is set, so a redirect to a login page is not "up" by accident. */
  followRedirects: z.boolean().default(false),
});

export const ZPostgresProbe = z.strictObject({
  type: z.literal("postgres"),
  url: ZUrlWithSchemes(["postgres", "postgresql"]),
});

export const ZRedisProbe = z.strictObject({
  type: z.literal("redis"),
  url: ZUrlWithSchemes(["redis", "rediss"]),
});

export const ZProbe = z.discriminatedUnion("type", [ZHttpProbe, ZPostgresProbe, ZRedisProbe], {
  error: (issue) =>
    issue.code === "invalid_union" ? `expected probe type to be one of "http", "postgres", "redis"` : undefined,
});

export const ZComponent = z.strictObject({
  id: ZId,
  /** What the component is in the system ("API", "Database"). */
  name: z.string().min(1),
  /** What runs it ("FastAPI Server", "PostgreSQL"). */
  service: z.string().min(1),
  probe: ZProbe,
  interval: ZDuration("interval", { min: 1_000, max: 86_400_000 }).optional(),
  timeout: ZDuration("timeout", { min: 50, max: 120_000 }).optional(),
  /** A passing check slower than this marks the component degraded rather than up. */
  degradedAfter: ZDuration("degradedAfter", { min: 1, max: 120_000 }).optional(),
});

export const ZSystem = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  environment: z.string().optional(),
  release: z
    .strictObject({
      name: z.string().min(1),
      targetDate: z.iso.date({ error: "expected a date as YYYY-MM-DD" }).optional(),
    })
    .optional(),
});

export const ZConfig = z
  .strictObject({
    version: z.literal(1, { error: "expected version: 1" }),
    system: ZSystem,
    defaults: z
      .strictObject({
        interval: ZDuration("interval", { min: 1_000, max: 86_400_000 }).default(10_000),
        timeout: ZDuration("timeout", { min: 50, max: 120_000 }).default(5_000),
      })
      .prefault({}),
    components: z.array(ZComponent).min(1, { error: "declare at least one component" }),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.components.forEach((component, index) => {
      const first = seen.get(component.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["components", index, "id"],
          message: `duplicate component id "${component.id}" (already used by components[${first}])`,
        });
      } else seen.set(component.id, index);
      const interval = component.interval ?? config.defaults.interval;
      const timeout = component.timeout ?? config.defaults.timeout;
      if (timeout >= interval) {
        ctx.addIssue({
          code: "custom",
          path: ["components", index, component.timeout !== undefined ? "timeout" : "interval"],
          message: `timeout (${timeout} ms) must be shorter than interval (${interval} ms)`,
        });
      }
    });
  });

export type TConfigInput = z.input<typeof ZConfig>;
export type TRawConfig = z.output<typeof ZConfig>;
export type THttpProbe = z.output<typeof ZHttpProbe>;
export type TPostgresProbe = z.output<typeof ZPostgresProbe>;
export type TRedisProbe = z.output<typeof ZRedisProbe>;
export type TProbe = z.output<typeof ZProbe>;

/** A component with its defaults resolved. */
export type TComponent = Omit<z.output<typeof ZComponent>, "interval" | "timeout"> & { interval: number; timeout: number };

export type TConfig = Omit<TRawConfig, "components"> & { components: TComponent[] };
