import { z } from "zod";

// The plan of reference sections 6-10 as the configuration seeds it on first start; from then on it lives in the
// database and editors change it in the app.

const ZDay = z.iso.date({ error: "expected a date such as 2026-01-21" });

export const PROBABILITY_LABELS = ["rare", "unlikely", "possible", "likely", "almost certain"] as const;
export const IMPACT_LABELS = ["negligible", "minor", "moderate", "major", "severe"] as const;

/** 1-5, or its word: "unlikely", "major". */
const ZLevel = (labels: readonly string[], what: string) =>
  z
    .union([z.number().int().min(1).max(5), z.enum(labels as [string, ...string[]])], {
      error: `expected ${what} 1-5 or one of ${labels.join(", ")}`,
    })
    .transform((v) => (typeof v === "number" ? v : labels.indexOf(v) + 1));

const ZStatus = z.enum(["todo", "in_progress", "done", "blocked"], {
  error: "expected todo, in_progress, done or blocked",
});

export const ZPlan = z.strictObject({
  phases: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(200),
        start: ZDay.optional(),
        end: ZDay.optional(),
        expectedReadinessPct: z.number().min(0).max(100).optional(),
        goal: z.string().max(2000).default(""),
        tasks: z.array(z.string().min(1).max(500)).default([]),
      }),
    )
    .default([]),
  criticalPath: z
    .array(
      z.strictObject({
        title: z.string().min(1).max(500),
        owner: z.string().max(200).default(""),
        due: ZDay.optional(),
        status: ZStatus.default("todo"),
        /** The name of the phase it belongs to, if any. */
        phase: z.string().optional(),
      }),
    )
    .default([]),
  limitations: z
    .array(
      z.strictObject({
        title: z.string().min(1).max(500),
        impact: z.string().max(2000).default(""),
        mitigation: z.string().max(2000).default(""),
        timeline: z.string().max(500).default(""),
        blocking: z.boolean().default(false),
      }),
    )
    .default([]),
  risks: z
    .array(
      z.strictObject({
        title: z.string().min(1).max(500),
        area: z.string().min(1).max(100).default("operational"),
        probability: ZLevel(PROBABILITY_LABELS, "a probability"),
        impact: ZLevel(IMPACT_LABELS, "an impact"),
        mitigation: z.string().max(2000).default(""),
        owner: z.string().max(200).default(""),
      }),
    )
    .default([]),
  recommendations: z.array(z.string().min(1).max(1000)).default([]),
  preDeployment: z.array(z.string().min(1).max(1000)).default([]),
  postDeployment: z.array(z.string().min(1).max(1000)).default([]),
});

export type TPlanConfig = z.output<typeof ZPlan>;
