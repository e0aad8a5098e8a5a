import { z } from "zod";
import { ZHttpUrl } from "./url";
import { parseDuration } from "./duration";

/** A duration such as "5s" or "500ms" (or a number of milliseconds), parsed to milliseconds. */
export const ZDuration = (label: string, { min = 0, max = Number.POSITIVE_INFINITY } = {}) =>
  z.union([z.string(), z.number()], { error: `expected a duration such as "5s" or "500ms"` }).transform((raw, ctx) => {
    const ms = parseDuration(raw);
    if (ms === null) {
      ctx.addIssue({
        code: "custom",
        message: `expected a duration such as "5s" or "500ms", got ${JSON.stringify(raw)}`,
      });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: "custom", message: `${label} must be between ${min} ms and ${max} ms, got ${ms} ms` });
      return z.NEVER;
    }
    return ms;
  });

export const ZThreshold = (label: string) =>
  z
    .number({ error: `expected ${label} as a whole number of consecutive results` })
    .int({ error: `expected ${label} as a whole number of consecutive results` })
    .min(1, { error: `${label} must be at least 1` })
    .max(100, { error: `${label} must be at most 100` });

const ZInstant = z.iso.datetime({
  offset: true,
  error: "expected an ISO 8601 time with a zone, such as 2026-01-18T02:00:00Z",
});
const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;

/** A planned window: one-off (start, end) or weekly (day, time of day in UTC, duration). */
export const ZMaintenanceWindow = z
  .strictObject({
    name: z.string().min(1),
    /** Components it covers; all of them when omitted. */
    components: z.array(z.string()).min(1).optional(),
    start: ZInstant.optional(),
    end: ZInstant.optional(),
    weekly: z
      .strictObject({
        day: z.enum(DAYS, { error: `expected a day of the week (${DAYS.join(", ")})` }),
        at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a UTC time of day such as "02:00"' }),
        duration: ZDuration("duration", { min: 60_000, max: 7 * 86_400_000 }),
      })
      .optional(),
    /** Time inside the window counts neither as up nor as down (default); false keeps it in uptime. */
    excludeFromUptime: z.boolean().default(true),
  })
  .superRefine((window, ctx) => {
    const oneOff = window.start !== undefined || window.end !== undefined;
    if (oneOff && window.weekly) {
      ctx.addIssue({
        code: "custom",
        path: ["weekly"],
        message: "a window is either one-off (start, end) or weekly, not both",
      });
    } else if (!oneOff && !window.weekly) {
      ctx.addIssue({ code: "custom", path: [], message: "a window needs start and end, or weekly" });
    } else if (oneOff) {
      if (!window.start) ctx.addIssue({ code: "custom", path: ["start"], message: "required with end" });
      else if (!window.end) ctx.addIssue({ code: "custom", path: ["end"], message: "required with start" });
      else if (Date.parse(window.end) <= Date.parse(window.start)) {
        ctx.addIssue({ code: "custom", path: ["end"], message: "must be after start" });
      }
    }
  });

export const ZWebhook = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "expected a name of lowercase letters, digits and dashes" }),
  url: ZHttpUrl,
  /** `json`: Preflight's own payload; `slack`: a Slack-compatible `{ text }` message. */
  format: z.enum(["json", "slack"], { error: 'expected format "json" or "slack"' }).default("json"),
  /**
   * Which events to announce: confirmed states of components (up, degraded, down) and SLO alerts (slo-fast-burn,
   * slo-exhausted: raised and cleared); all of them when omitted.
   */
  events: z
    .array(z.enum(["up", "degraded", "down", "slo-fast-burn", "slo-exhausted"]))
    .min(1)
    .optional(),
  components: z.array(z.string()).min(1).optional(),
  headers: z.record(z.string(), z.string()).default({}),
});

export const ZNotifications = z.strictObject({ webhooks: z.array(ZWebhook).default([]) });

export const ZHistory = z.strictObject({
  /** How long raw results are kept; whole day partitions older than this are dropped. */
  retention: ZDuration("retention", { min: 86_400_000, max: 3_650 * 86_400_000 }).default(30 * 86_400_000),
  /** How long minute rollups are kept (hour rollups are kept for good). */
  minuteRollupRetention: ZDuration("minuteRollupRetention", { min: 86_400_000, max: 3_650 * 86_400_000 }).default(
    90 * 86_400_000,
  ),
});

export const ZWorker = z.strictObject({
  /** Most probes in flight at once per worker. */
  concurrency: z.number().int().min(1).max(10_000).default(256),
  /** Most results held in memory while the database is unreachable. */
  bufferLimit: z.number().int().min(1_000).max(10_000_000).default(500_000),
});

export type TMaintenanceWindow = z.output<typeof ZMaintenanceWindow>;
export type TWebhook = z.output<typeof ZWebhook>;
