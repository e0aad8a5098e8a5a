// SLO arithmetic, pure: from good, bad and unknown amounts (milliseconds of time for availability, counts of events
// for latency and ratio SLIs) to the SLI, the error budget, its burn rates and the state an operator acts on.
//
// Decisions, each for a reason:
// - Unknown is neither good nor bad (as uptime): the SLI is good / (good + bad), and coverage says how much of the
//   window that rests on.
// - The budget is (1 - objective) of the *known* amount in the window, not of the whole window. Then "budget left"
//   and "SLI meets the objective" never disagree (remaining >= 0 exactly when SLI >= objective), and an SLO measured
//   for one day is not credited 29 days of budget nobody observed. With full coverage it is the SRE workbook's figure:
//   99.9 % over 30 d allows 43.2 minutes.
// - A burn rate is the bad fraction of a window divided by the allowed bad fraction (1 - objective): 1 spends the
//   budget exactly over the SLO window. Alerts are the workbook's multiwindow, multi-burn-rate pairs (chapter 5,
//   "Alerting on SLOs"): both windows of a pair must burn at the rate, the long one so that a blip does not page, the
//   short one so that the alert stops soon after the burning does.
// - Time to exhaustion is the budget left divided by the rate bad amounts arrived in the last hour. It ignores old bad
//   time leaving the rolling window and new good time adding to the allowance, so it is the earliest the budget can
//   run out at that rate, never a late one.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const BURN_WINDOWS = {
  "5m": 5 * MINUTE_MS,
  "30m": 30 * MINUTE_MS,
  "1h": HOUR_MS,
  "6h": 6 * HOUR_MS,
  "3d": 3 * DAY_MS,
} as const;
export type TBurnWindow = keyof typeof BURN_WINDOWS;
export const BURN_WINDOW_NAMES = Object.keys(BURN_WINDOWS) as TBurnWindow[];

/** The SRE workbook's alerts for a 30-day SLO: 2 % of the budget in 1 h, 5 % in 6 h (page), 10 % in 3 d (ticket). */
export const BURN_ALERTS = [
  { alert: "fast burn", long: "1h", short: "5m", rate: 14.4 },
  { alert: "fast burn", long: "6h", short: "30m", rate: 6 },
  { alert: "slow burn", long: "3d", short: "6h", rate: 1 },
] as const satisfies readonly { alert: string; long: TBurnWindow; short: TBurnWindow; rate: number }[];

/** The window that time to exhaustion takes its rate from. */
export const CURRENT_RATE_WINDOW: TBurnWindow = "1h";

export type TSloAmounts = { good: number; bad: number; unknown: number };
export type TSloBucket = TSloAmounts & { start: number };
export type TBurnRates = Record<TBurnWindow, number | null>;
export type TBurnAlert = "fast burn" | "slow burn";
export type TSloState = "ok" | "slow burn" | "fast burn" | "exhausted" | "no data";

export type TSloBudget = {
  /** Bad amount the objective allows over the known part of the window (ms or events). */
  allowed: number;
  /** Bad amount so far (ms or events). */
  consumed: number;
  consumedPct: number | null;
  /** Below 0 once overspent; null when nothing is known. */
  remainingPct: number | null;
  /** At the last hour's rate; 0 when exhausted, null when nothing bad arrives (or nothing is known). */
  exhaustsInMs: number | null;
};

export type TSloInput = {
  /** Percent, 0 < objective < 100. */
  objective: number;
  /** Amounts over the SLO window. */
  window: TSloAmounts;
  /** Amounts over each burn-rate window, ending at the same time. */
  burn: Record<TBurnWindow, TSloAmounts>;
  /** Known share of the window, 0..1; by default known / (known + unknown), which suits time. Null: not known. */
  coverage?: number | null;
};

export type TSloFigures = {
  /** Percent good of known; null when nothing is known. */
  sli: number | null;
  amounts: TSloAmounts;
  budget: TSloBudget;
  burn: TBurnRates;
  /** The burn alert that fires, whatever the budget. */
  alert: TBurnAlert | null;
  state: TSloState;
  coverage: number | null;
};

export const known = (a: TSloAmounts): number => a.good + a.bad;

export function sumAmounts(list: readonly TSloAmounts[]): TSloAmounts {
  const total = { good: 0, bad: 0, unknown: 0 };
  for (const a of list) {
    total.good += a.good;
    total.bad += a.bad;
    total.unknown += a.unknown;
  }
  return total;
}

/** The allowed bad fraction. Rounded so that 99.9 gives 0.001, not 0.0009999999999998899. */
export function allowedBadFraction(objective: number): number {
  return Math.round((100 - objective) * 1e10) / 1e12;
}

export function computeSli(a: TSloAmounts): number | null {
  const k = known(a);
  return k > 0 ? (100 * a.good) / k : null;
}

export function burnRate(a: TSloAmounts, objective: number): number | null {
  const k = known(a);
  return k > 0 ? a.bad / k / allowedBadFraction(objective) : null;
}

export function burnRates(burn: Record<TBurnWindow, TSloAmounts>, objective: number): TBurnRates {
  const rates = {} as TBurnRates;
  for (const name of BURN_WINDOW_NAMES) rates[name] = burnRate(burn[name], objective);
  return rates;
}

/** Burn rates within this relative distance of a threshold reach it: 144 bad of 10 000 at 99.9 % is 14.4 on paper
 *  and 14.399999999999999 in binary floating point. */
const RATE_TOLERANCE = 1e-9;

/** The first alert whose two windows both burn at its rate (a window nothing is known of never fires). */
export function burnAlert(rates: TBurnRates): TBurnAlert | null {
  const hot = (window: TBurnWindow, rate: number) =>
    (rates[window] ?? Number.NEGATIVE_INFINITY) >= rate * (1 - RATE_TOLERANCE);
  return BURN_ALERTS.find((a) => hot(a.long, a.rate) && hot(a.short, a.rate))?.alert ?? null;
}

export function computeBudget(
  window: TSloAmounts,
  objective: number,
  recent: TSloAmounts,
  recentMs: number,
): TSloBudget {
  const allowed = known(window) * allowedBadFraction(objective);
  const consumed = window.bad;
  const budget: TSloBudget = { allowed, consumed, consumedPct: null, remainingPct: null, exhaustsInMs: null };
  if (allowed <= 0) return budget;
  budget.consumedPct = (100 * consumed) / allowed;
  budget.remainingPct = 100 - budget.consumedPct;
  const left = allowed - consumed;
  const rate = recent.bad / recentMs;
  if (left <= 0) budget.exhaustsInMs = 0;
  else if (rate > 0) budget.exhaustsInMs = left / rate;
  return budget;
}

/** Exhausted outranks an alert: it is the fact the alerts exist to prevent. No data when the last 6 h say nothing. */
export function sloState(
  window: TSloAmounts,
  budget: TSloBudget,
  rates: TBurnRates,
  alert: TBurnAlert | null,
): TSloState {
  if (known(window) === 0) return "no data";
  if (budget.remainingPct !== null && budget.remainingPct <= 0) return "exhausted";
  if (alert) return alert;
  return rates["6h"] === null ? "no data" : "ok";
}

export function evaluateSlo(input: TSloInput): TSloFigures {
  const { objective, window } = input;
  const burn = burnRates(input.burn, objective);
  const budget = computeBudget(window, objective, input.burn[CURRENT_RATE_WINDOW], BURN_WINDOWS[CURRENT_RATE_WINDOW]);
  const alert = burnAlert(burn);
  const observable = known(window) + window.unknown;
  const coverage = input.coverage !== undefined ? input.coverage : observable > 0 ? known(window) / observable : 0;
  return {
    sli: computeSli(window),
    amounts: window,
    budget,
    burn,
    alert,
    state: sloState(window, budget, burn, alert),
    coverage,
  };
}

/** Sum of the buckets that start in [from, to): a bucket belongs wholly to the window its start is in. */
export function amountsIn(buckets: readonly TSloBucket[], from: number, to: number): TSloAmounts {
  return sumAmounts(buckets.filter((b) => b.start >= from && b.start < to));
}

export type TBudgetPoint = { t: string; consumed: number; remainingPct: number | null };

/** Where the 3 d burn window starts when it is read from hour rollups: its first whole hour. */
export function slowWindowStart(now: number): number {
  return Math.ceil((now - BURN_WINDOWS["3d"]) / HOUR_MS) * HOUR_MS;
}

/**
 * When the budget-over-time chart has a point: the window's start, then every 24 h on the hour, counted from where
 * the 3 d burn window starts (so that hour rollups fall on one side of every point, and the 3 d window is a whole
 * number of the chart's days), and now.
 */
export function budgetPointTimes(windowStart: number, now: number): number[] {
  const anchor = slowWindowStart(now);
  const times = [windowStart];
  for (let t = anchor - Math.floor((anchor - windowStart) / DAY_MS) * DAY_MS; t < now; t += DAY_MS)
    if (t > windowStart) times.push(t);
  times.push(now);
  return times;
}

/**
 * Budget burned down from the window's start: at each point, what is left of today's allowance after the bad amount
 * up to then. The last point is the budget remaining now; the line never rises, which is what a burn-down shows.
 */
export function budgetSeries(
  allowed: number,
  points: readonly { t: number; badSoFar: number; knownSoFar?: number }[],
): TBudgetPoint[] {
  // Before anything in the window was observed there is no figure: a flat 100 % there would claim a budget kept
  // through days nobody watched. A point is drawn from the last one before observation began.
  return points.map(({ t, badSoFar, knownSoFar }, i) => {
    const unseen = knownSoFar === 0 && (points[i + 1]?.knownSoFar ?? 0) === 0;
    return {
      t: new Date(t).toISOString(),
      consumed: badSoFar,
      remainingPct: allowed > 0 && !unseen ? 100 * (1 - badSoFar / allowed) : null,
    };
  });
}

/** Every figure from amounts per time bucket (e.g. minutes): the form the unit tests and small histories take. */
export function evaluateBuckets(args: {
  objective: number;
  windowMs: number;
  now: number;
  buckets: readonly TSloBucket[];
  coverage?: number | null;
}): TSloFigures & { series: TBudgetPoint[] } {
  const { objective, windowMs, now, buckets } = args;
  const start = now - windowMs;
  const burn = {} as Record<TBurnWindow, TSloAmounts>;
  for (const name of BURN_WINDOW_NAMES) burn[name] = amountsIn(buckets, now - BURN_WINDOWS[name], now);
  const figures = evaluateSlo({ objective, window: amountsIn(buckets, start, now), burn, coverage: args.coverage });
  const points = budgetPointTimes(start, now).map((t) => ({ t, badSoFar: amountsIn(buckets, start, t).bad }));
  return { ...figures, series: budgetSeries(figures.budget.allowed, points) };
}

/** A window as people and PromQL write it: "30d", "6h", "5m", "90s" (the largest unit that divides it). */
export function formatWindow(ms: number): string {
  const units: [string, number][] = [
    ["d", DAY_MS],
    ["h", HOUR_MS],
    ["m", MINUTE_MS],
    ["s", 1_000],
  ];
  for (const [unit, size] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms)}ms`;
}
