import { z } from "zod";
import { ZDuration, ZHistory, ZMaintenanceWindow, ZNotifications, ZThreshold, ZWorker } from "./operations-schema";
import { ZProbe } from "./probe-schema";
import { ZBaseline, ZResources } from "./baseline-schema";
import { ZScorecard, type TCheck } from "./scorecard-schema";
import { ZSignOff } from "./signoff-schema";
import { ZPlan } from "./plan-schema";
import { checkSloReferences, ZSlos } from "./slo-schema";
import { checkPostDeploymentReferences, ZPostDeployment } from "./postdeploy-schema";

// Probe schemas live in probe-schema.ts; re-exported so existing imports keep working.
export * from "./probe-schema";

const ZId = z
  .string({ error: "expected an id (lowercase letters, digits and dashes)" })
  .regex(/^[a-z][a-z0-9-]{0,62}$/, {
    error: "expected an id of lowercase letters, digits and dashes, starting with a letter",
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
  /** Consecutive failures before the component is confirmed down (default 2). */
  failureThreshold: ZThreshold("failureThreshold").optional(),
  /** Consecutive successes before it is confirmed up again (default 1). */
  successThreshold: ZThreshold("successThreshold").optional(),
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
        failureThreshold: ZThreshold("failureThreshold").default(2),
        successThreshold: ZThreshold("successThreshold").default(1),
        degradedAfter: ZDuration("degradedAfter", { min: 1, max: 120_000 }).optional(),
      })
      .prefault({}),
    components: z.array(ZComponent).min(1, { error: "declare at least one component" }),
    maintenance: z.array(ZMaintenanceWindow).default([]),
    notifications: ZNotifications.prefault({}),
    history: ZHistory.prefault({}),
    worker: ZWorker.prefault({}),
    baselines: z.array(ZBaseline).default([]),
    /** Service level objectives with error budgets and burn rates (lib/slo). */
    slos: ZSlos,
    /** What is watched once the release is marked deployed (lib/postdeploy). */
    postDeployment: ZPostDeployment.optional(),
    resources: ZResources.optional(),
    scorecard: ZScorecard.optional(),
    signoff: ZSignOff.optional(),
    plan: ZPlan.optional(),
    evidence: z
      .strictObject({
        /** Largest JUnit report or k6 summary accepted; larger uploads are answered 413. */
        maxUploadBytes: z
          .number()
          .int()
          .min(1024)
          .max(100 * 1024 * 1024)
          .default(10 * 1024 * 1024),
      })
      .prefault({}),
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
    const ids = new Set(config.components.map((c) => c.id));
    const checkRefs = (refs: string[] | undefined, path: (string | number)[]) =>
      refs?.forEach((ref, i) => {
        if (!ids.has(ref))
          ctx.addIssue({ code: "custom", path: [...path, i], message: `no component with id "${ref}"` });
      });
    config.maintenance.forEach((window, i) => checkRefs(window.components, ["maintenance", i, "components"]));
    for (const issue of checkSloReferences(config.slos, ids))
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    for (const issue of checkPostDeploymentReferences(config.postDeployment, ids))
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    config.baselines.forEach((baseline, i) => {
      if ("component" in baseline.source && !ids.has(baseline.source.component)) {
        ctx.addIssue({
          code: "custom",
          path: ["baselines", i, "source", "component"],
          message: `no component with id "${baseline.source.component}"`,
        });
      }
    });
    config.notifications.webhooks.forEach((hook, i) =>
      checkRefs(hook.components, ["notifications", "webhooks", i, "components"]),
    );
    if (config.plan) {
      const phases = new Set(config.plan.phases.map((p) => p.name));
      config.plan.criticalPath.forEach((task, i) => {
        if (task.phase !== undefined && !phases.has(task.phase))
          ctx.addIssue({
            code: "custom",
            path: ["plan", "criticalPath", i, "phase"],
            message: `no phase named "${task.phase}"`,
          });
      });
    }
    if (config.scorecard) {
      const baselineIds = new Set(config.baselines.map((b) => b.id));
      const checkIds = new Map<string, string>();
      const visit = (check: TCheck, path: (string | number)[]) => {
        const where = path.join(".");
        const first = checkIds.get(check.id);
        if (first !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [...path, "id"],
            message: `duplicate check id "${check.id}" (already used by ${first})`,
          });
        else checkIds.set(check.id, where);
        if (
          (check.kind === "componentUp" || check.kind === "uptime" || check.kind === "regression") &&
          !ids.has(check.component)
        ) {
          ctx.addIssue({
            code: "custom",
            path: [...path, "component"],
            message: `no component with id "${check.component}"`,
          });
        }
        if (check.kind === "slo" && !config.slos.some((slo) => slo.id === check.slo)) {
          ctx.addIssue({
            code: "custom",
            path: [...path, "slo"],
            message: `no SLO with id "${check.slo}" under slos`,
          });
        }
        if (check.kind === "baseline" && !baselineIds.has(check.baseline)) {
          ctx.addIssue({
            code: "custom",
            path: [...path, "baseline"],
            message: `no baseline with id "${check.baseline}"`,
          });
        }
      };
      config.scorecard.categories.forEach((category, c) =>
        category.checks.forEach((check, i) => visit(check, ["scorecard", "categories", c, "checks", i])),
      );
      config.scorecard.criteria.forEach((check, i) => visit(check, ["scorecard", "criteria", i]));
      const categoryCheckIds = new Set(config.scorecard.categories.flatMap((c) => c.checks.map((check) => check.id)));
      config.scorecard.categories.forEach((category, c) =>
        category.checks.forEach((check, i) => {
          if (check.kind === "check")
            ctx.addIssue({
              code: "custom",
              path: ["scorecard", "categories", c, "checks", i, "kind"],
              message: 'kind "check" is for approval criteria only',
            });
        }),
      );
      config.scorecard.criteria.forEach((check, i) => {
        if (check.kind === "check" && !categoryCheckIds.has(check.check)) {
          ctx.addIssue({
            code: "custom",
            path: ["scorecard", "criteria", i, "check"],
            message: `no scorecard check with id "${check.check}"`,
          });
        }
      });
    }
  });

export type TConfigInput = z.input<typeof ZConfig>;
export type TRawConfig = z.output<typeof ZConfig>;

/** A component with its defaults resolved. */
export type TComponent = Omit<
  z.output<typeof ZComponent>,
  "interval" | "timeout" | "failureThreshold" | "successThreshold"
> & {
  interval: number;
  timeout: number;
  failureThreshold: number;
  successThreshold: number;
};

export type TConfig = Omit<TRawConfig, "components"> & { components: TComponent[] };
