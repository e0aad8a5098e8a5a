import { getComponentStatuses, type TUptimeFigure } from "../queries/component-status";
import type { TQueryContext } from "../queries/context";
import {
  BURN_WINDOW_NAMES,
  BURN_WINDOWS,
  budgetPointTimes,
  formatWindow,
  known,
  sumAmounts,
  type TSloAmounts,
} from "./compute";
import { componentsOf, describeTarget, type TAvailabilitySlo, type TSloMeasurement } from "./measurement";

// Availability SLIs are uptime, read where uptime is read (lib/queries/component-status.ts: the confirmed state
// periods, coverage-aware, maintenance that excludes from uptime left out), so an SLO and the uptime column beside it
// can never disagree. Good = up or degraded, bad = down, unknown = no check vouched for the time. Every figure is a
// trailing window ending now, all of them asked for in one read: the SLO windows, the burn windows, and for the
// budget chart the window from each point to now, since bad time before a point is the window's less the tail's.
// A system SLO adds its components' time: a 10-minute outage of one of four components is 10 bad component-minutes
// out of four times the window, not 10 minutes of the system's.

export function fromUptime(figure: TUptimeFigure | undefined): TSloAmounts {
  if (!figure) return { good: 0, bad: 0, unknown: 0 };
  return {
    good: figure.observedMs - figure.downMs,
    bad: figure.downMs,
    unknown: Math.max(0, figure.observableMs - figure.observedMs),
  };
}

/** Lengths of the trailing windows (ending now) that an SLO's figures are made of; the chart's only when asked. */
function windowsOf(slo: TAvailabilitySlo, now: number, series: boolean): number[] {
  const tails = series ? budgetPointTimes(now - slo.window, now).map((t) => now - t) : [];
  return [slo.window, ...BURN_WINDOW_NAMES.map((name) => BURN_WINDOWS[name]), ...tails].filter((ms) => ms > 0);
}

export async function measureAvailability(
  ctx: TQueryContext,
  slos: readonly TAvailabilitySlo[],
  { series = false }: { series?: boolean } = {},
) {
  const out = new Map<string, TSloMeasurement>();
  if (slos.length === 0) return out;
  const now = ctx.now.getTime();
  const allIds = ctx.config.components.map((c) => c.id);
  const ids = [...new Set(slos.flatMap((slo) => componentsOf(slo, allIds)))];
  const windows = [...new Set(slos.flatMap((slo) => windowsOf(slo, now, series)))];
  const statuses = await getComponentStatuses(ctx, { ids, windows });
  for (const slo of slos) {
    const components = componentsOf(slo, allIds);
    const over = (ms: number): TSloAmounts =>
      ms <= 0
        ? { good: 0, bad: 0, unknown: 0 }
        : sumAmounts(components.map((id) => fromUptime(statuses.get(id)?.uptime.get(ms))));
    const window = over(slo.window);
    const burn = Object.fromEntries(
      BURN_WINDOW_NAMES.map((name) => [name, over(BURN_WINDOWS[name])]),
    ) as TSloMeasurement["burn"];
    const points = series
      ? budgetPointTimes(now - slo.window, now).map((t) => {
          const after = over(now - t);
          return { t, badSoFar: window.bad - after.bad, knownSoFar: known(window) - known(after) };
        })
      : [];
    const missing = components.filter((id) => !statuses.has(id));
    out.set(slo.id, {
      unit: "ms",
      window,
      burn,
      points,
      source:
        `probe history (state periods) of ${describeTarget(slo, components.length)}, ` +
        `${formatWindow(slo.window)} rolling`,
      reason: missing.length > 0 ? `not configured: ${missing.join(", ")}` : null,
    });
  }
  return out;
}
