import { describe, expect, it } from "vitest";
import {
  changedVerdicts,
  conflictingRole,
  describeChange,
  findCountingRegression,
  isRegression,
  judgeGoLive,
  judgeSignOff,
  requestedRoles,
  type TRegression,
  type TRoleStatus,
  type TSignOffRecord,
  type TSnapshotPoint,
} from "./status";

const NOW = new Date("2026-01-14T12:00:00Z");
const D = 86_400_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

const record = (patch: Partial<TSignOffRecord> = {}): TSignOffRecord => ({
  role: "security-officer",
  userId: "u1",
  userName: "Sam Security",
  userEmail: "sam@x0tta6bl4.demo",
  decision: "approve",
  comment: "",
  signedAt: ago(D),
  snapshot: { id: "7", hash: "a".repeat(64), takenAt: ago(D), overallPct: 92, criticalFailed: 0 },
  ...patch,
});

const ctx = (patch: Partial<Parameters<typeof judgeSignOff>[1]> = {}) => ({
  regression: null,
  now: NOW,
  expiresAfterDays: 30,
  ...patch,
});

describe("isRegression: what makes a sign-off stale", () => {
  const signed = record().snapshot;
  it("the score falling below the gate", () => {
    expect(isRegression(signed, { at: NOW, overallPct: 89.9, criticalFailed: 0 }, 90)).toBe(true);
    expect(isRegression(signed, { at: NOW, overallPct: 90, criticalFailed: 0 }, 90)).toBe(false);
  });
  it("a score that moves but stays above the gate is not a regression", () => {
    expect(isRegression(signed, { at: NOW, overallPct: 90.5, criticalFailed: 0 }, 90)).toBe(false);
  });
  it("a new critical failure, whatever the score", () => {
    expect(isRegression(signed, { at: NOW, overallPct: 99, criticalFailed: 1 }, 90)).toBe(true);
  });
  it("signed below the gate: only falling further counts, not staying where it was", () => {
    const low = { ...signed, overallPct: 60, criticalFailed: 1 };
    expect(isRegression(low, { at: NOW, overallPct: 60, criticalFailed: 1 }, 90)).toBe(false);
    expect(isRegression(low, { at: NOW, overallPct: 61, criticalFailed: 1 }, 90)).toBe(false);
    expect(isRegression(low, { at: NOW, overallPct: 55, criticalFailed: 1 }, 90)).toBe(true);
    expect(isRegression(low, { at: NOW, overallPct: 65, criticalFailed: 2 }, 90)).toBe(true);
  });
  it("a critical check failing in place of another that recovered is a new failure, though the count is the same", () => {
    const one = { ...signed, criticalFailed: 1, criticalFailedIds: ["security/api-auth"] };
    expect(
      isRegression(one, { at: NOW, overallPct: 99, criticalFailed: 1, criticalFailedIds: ["security/tls"] }, 90),
    ).toBe(true);
    expect(
      isRegression(one, { at: NOW, overallPct: 99, criticalFailed: 1, criticalFailedIds: ["security/api-auth"] }, 90),
    ).toBe(false);
    expect(isRegression(one, { at: NOW, overallPct: 99, criticalFailed: 0, criticalFailedIds: [] }, 90)).toBe(false);
    // A snapshot from before the names were stored: the count, as before.
    expect(isRegression(one, { at: NOW, overallPct: 99, criticalFailed: 1, criticalFailedIds: [] }, 90)).toBe(false);
    expect(isRegression(one, { at: NOW, overallPct: 99, criticalFailed: 2, criticalFailedIds: [] }, 90)).toBe(true);
  });
  it("no score at all is below any gate", () => {
    expect(isRegression(signed, { at: NOW, overallPct: null, criticalFailed: 0 }, 90)).toBe(true);
  });
});

describe("findCountingRegression: a short dip that recovered does not make a sign-off stale", () => {
  // Signed at S with 92 % and no critical failure, gate 90 %, grace 10 minutes unless a row says otherwise.
  const S = new Date("2026-01-14T10:00:00Z");
  const signed = { ...record().snapshot, takenAt: S };
  const t = (seconds: number) => new Date(S.getTime() + seconds * 1000);
  const ok = (s: number): TSnapshotPoint => ({ at: t(s), overallPct: 93, criticalFailed: 0 });
  const dip = (s: number, overallPct = 80): TSnapshotPoint => ({ at: t(s), overallPct, criticalFailed: 0 });
  const crit = (s: number): TSnapshotPoint => ({ at: t(s), overallPct: 95, criticalFailed: 1 });
  const MIN = 60;

  it.each<
    [string, TSnapshotPoint[], number, null | (Pick<TRegression, "cause"> & { at: Date; recoveredAt: Date | null })]
  >([
    ["nothing after signing", [], 10, null],
    ["only better snapshots", [ok(60), ok(3600)], 10, null],
    ["a 10 s blip that recovered", [ok(60), dip(100), ok(110)], 10, null],
    [
      "short dips that add up to the grace: 4 + 4 + 3 min",
      [dip(0), ok(4 * MIN), dip(20 * MIN), ok(24 * MIN), dip(60 * MIN), ok(63 * MIN)],
      10,
      { cause: "repeated", at: t(60 * MIN), recoveredAt: t(63 * MIN) },
    ],
    ["short dips under the grace together: 4 + 4 min", [dip(0), ok(4 * MIN), dip(20 * MIN), ok(24 * MIN)], 10, null],
    ["a blip of 9 min 59 s that recovered", [dip(100), ok(100 + 10 * MIN - 1)], 10, null],
    [
      "a dip of exactly the grace",
      [dip(100), ok(100 + 10 * MIN)],
      10,
      { cause: "lasted", at: t(100), recoveredAt: t(100 + 10 * MIN) },
    ],
    [
      "an 11 min dip that recovered",
      [ok(60), dip(100), dip(400, 70), ok(100 + 11 * MIN)],
      10,
      { cause: "lasted", at: t(100), recoveredAt: t(100 + 11 * MIN) },
    ],
    [
      "an ongoing regression, however young",
      [ok(60), dip(100)],
      10,
      { cause: "ongoing", at: t(100), recoveredAt: null },
    ],
    [
      "a critical failure that recovered after 5 s",
      [crit(100), ok(105)],
      10,
      { cause: "critical", at: t(100), recoveredAt: t(105) },
    ],
    [
      "a critical failure in the middle of a short dip: reported where it failed",
      [dip(100), crit(103), ok(110)],
      10,
      { cause: "critical", at: t(103), recoveredAt: t(110) },
    ],
    ["two short blips", [dip(100), ok(110), dip(2000), ok(2030), ok(3600)], 10, null],
    [
      "a short blip, then a long one: the long one",
      [dip(100), ok(110), dip(2000), ok(2000 + 20 * MIN)],
      10,
      { cause: "lasted", at: t(2000), recoveredAt: t(2000 + 20 * MIN) },
    ],
    [
      "a short blip, then an ongoing one",
      [dip(100), ok(110), dip(2000)],
      10,
      { cause: "ongoing", at: t(2000), recoveredAt: null },
    ],
    ["grace 0: a 1 s dip counts", [dip(100), ok(101)], 0, { cause: "lasted", at: t(100), recoveredAt: t(101) }],
    ["a score that stays above the gate is no dip at all", [dip(100, 90.5), dip(5000, 91)], 0, null],
    ["given out of order, read in time order", [ok(110), dip(100)], 10, null],
  ])("%s", (_name, points, graceMinutes, expected) => {
    const found = findCountingRegression(signed, points, { gateMinPct: 90, graceMs: graceMinutes * 60_000 });
    if (expected === null) expect(found).toBeNull();
    else expect(found).toMatchObject(expected);
  });

  it("judged stale or not end to end, with the grace in the reason", () => {
    const judge = (points: TSnapshotPoint[]) =>
      judgeSignOff(record({ signedAt: S, snapshot: signed }), {
        regression: findCountingRegression(signed, points, { gateMinPct: 90, graceMs: 600_000 }),
        now: t(7200),
        expiresAfterDays: 30,
      });
    expect(judge([dip(100), ok(110)])).toEqual({ state: "approved", reason: null });
    expect(judge([dip(100), ok(100 + 11 * MIN)])).toMatchObject({
      state: "stale",
      reason: expect.stringContaining("for 11m 0s before it recovered, not within the 10m 0s grace"),
    });
  });
});

describe("changedVerdicts: what regressed since the signed snapshot", () => {
  const check = (id: string, verdict: string, measured: string | null, category: string | null = "perf") => ({
    id,
    name: id === "p95" ? "API p95 latency" : id,
    category,
    verdict,
    measured,
    kind: "promql",
    critical: false,
    weight: 1,
  });
  const result = (checks: unknown[], criteria: unknown[] = []) => ({
    overallPct: 90,
    checks,
    criteria,
    categories: [],
    blockers: [],
    gaps: [],
    evaluatedAt: "x",
  });

  it("lists checks and criteria whose verdict changed, before and after, and nothing that kept its verdict", () => {
    const before = result(
      [check("p95", "passed", "180 ms"), check("uptime", "passed", "99.9 %"), check("gone", "passed", null)],
      [check("stable", "passed", "up for 22h", null)],
    );
    const after = result(
      [check("p95", "failed", "420 ms"), check("uptime", "passed", "99.8 %"), check("new", "failed", "1 error")],
      [check("stable", "pending", "up for 2m", null)],
    );
    const changes = changedVerdicts(before, after);
    expect(changes).toEqual([
      {
        id: "p95",
        name: "API p95 latency",
        category: "perf",
        before: "passed",
        after: "failed",
        beforeMeasured: "180 ms",
        afterMeasured: "420 ms",
      },
      {
        id: "new",
        name: "new",
        category: "perf",
        before: null,
        after: "failed",
        beforeMeasured: null,
        afterMeasured: "1 error",
      },
      {
        id: "gone",
        name: "gone",
        category: "perf",
        before: "passed",
        after: null,
        beforeMeasured: null,
        afterMeasured: null,
      },
      {
        id: "stable",
        name: "stable",
        category: null,
        before: "passed",
        after: "pending",
        beforeMeasured: "up for 22h",
        afterMeasured: "up for 2m",
      },
    ]);
    expect(describeChange(changes?.[0] as NonNullable<typeof changes>[number])).toBe(
      "API p95 latency: passed (180 ms) → failed (420 ms)",
    );
    expect(describeChange({ ...(changes?.[1] as NonNullable<typeof changes>[number]) })).toBe(
      "new: absent → failed (1 error)",
    );
  });

  it.each([
    ["an empty object (an old snapshot)", {}],
    ["null", null],
    ["checks that are not a list", { checks: "no", criteria: [] }],
    ["a check without a verdict", { checks: [{ id: "a", name: "A" }], criteria: [] }],
    ["an unknown verdict", { checks: [{ id: "a", name: "A", verdict: "exploded" }], criteria: [] }],
  ])("unavailable, never a crash, for %s", (_name, bad) => {
    const good = result([check("p95", "passed", "180 ms")]);
    expect(changedVerdicts(bad, good)).toBeNull();
    expect(changedVerdicts(good, bad)).toBeNull();
  });
});

describe("requestedRoles: whose sign-off is requested", () => {
  const role = (id: string, state: TRoleStatus["state"], latest: TSignOffRecord | null = null) => ({
    role: id,
    name: id.toUpperCase(),
    state,
    latest,
  });
  const me = { id: "u1", signOffRoles: ["so", "tl"] };

  it("the held roles that are pending, stale or expired, and none that stands", () => {
    const roles = [
      role("so", "pending"),
      role("tl", "stale", record({ userId: "u9" })),
      role("po", "pending"),
      role("ops", "expired"),
    ];
    expect(requestedRoles(roles, me, false)).toEqual([
      { role: "so", name: "SO", state: "pending" },
      { role: "tl", name: "TL", state: "stale" },
    ]);
    expect(
      requestedRoles(
        [role("so", "approved", record({ userId: "u9" })), role("tl", "rejected", record({ userId: "u9" }))],
        me,
        true,
      ),
    ).toEqual([]);
    expect(requestedRoles(roles, { id: "u1", signOffRoles: [] }, true)).toEqual([]);
  });

  it("separation of duties: after signing one role, only that one is asked again, and only once it needs it", () => {
    expect(requestedRoles([role("so", "approved", record({ userId: "u1" })), role("tl", "pending")], me, true)).toEqual(
      [],
    );
    expect(requestedRoles([role("so", "stale", record({ userId: "u1" })), role("tl", "pending")], me, true)).toEqual([
      { role: "so", name: "SO", state: "stale" },
    ]);
    expect(
      requestedRoles([role("so", "approved", record({ userId: "u1" })), role("tl", "pending")], me, false),
    ).toEqual([{ role: "tl", name: "TL", state: "pending" }]);
  });
});

describe("judgeSignOff", () => {
  it("pending without a decision", () => {
    expect(judgeSignOff(null, ctx())).toEqual({ state: "pending", reason: null });
  });
  it("approved, ready and rejected as given", () => {
    expect(judgeSignOff(record(), ctx()).state).toBe("approved");
    expect(judgeSignOff(record({ decision: "ready" }), ctx()).state).toBe("ready");
    expect(judgeSignOff(record({ decision: "reject", comment: "mTLS not enforced on the gateway" }), ctx())).toEqual({
      state: "rejected",
      reason: "mTLS not enforced on the gateway",
    });
  });
  it("stale after a regression, saying what regressed, when, and why the grace did not save it", () => {
    const lasted: TRegression = {
      at: ago(3_600_000),
      overallPct: 80,
      criticalFailed: 0,
      cause: "lasted",
      since: ago(3_600_000),
      recoveredAt: ago(2_940_000),
      graceMs: 600_000,
    };
    const stale = judgeSignOff(record(), ctx({ regression: lasted }));
    expect(stale.state).toBe("stale");
    expect(stale.reason).toBe(
      "readiness regressed after signing: the score fell to 80.0 % (92.0 % when signed) at 2026-01-14T11:00:00.000Z for 11m 0s before it recovered, not within the 10m 0s grace",
    );
    const ongoing = judgeSignOff(record(), ctx({ regression: { ...lasted, cause: "ongoing", recoveredAt: null } }));
    expect(ongoing.reason).toBe(
      "readiness regressed after signing: the score fell to 80.0 % (92.0 % when signed) at 2026-01-14T11:00:00.000Z and has not recovered",
    );
    const failed = judgeSignOff(
      record(),
      ctx({
        regression: { ...lasted, at: NOW, overallPct: 95, criticalFailed: 2, cause: "critical", recoveredAt: null },
      }),
    );
    expect(failed.reason).toMatch(
      /^readiness regressed after signing: a critical check failed \(2 failing, 0 when signed\) at 2026-01-14T12:00:00.000Z$/,
    );
    const recovered = judgeSignOff(
      record(),
      ctx({ regression: { ...lasted, criticalFailed: 1, cause: "critical", recoveredAt: ago(3_595_000) } }),
    );
    expect(recovered.reason).toMatch(
      /a critical check failed \(1 failing, 0 when signed\) at 2026-01-14T11:00:00.000Z; it recovered at 2026-01-14T11:00:05.000Z, but a critical failure counts without grace$/,
    );
  });
  it("expires after the configured days, exactly at the boundary", () => {
    expect(judgeSignOff(record({ signedAt: new Date(NOW.getTime() - 30 * D + 1) }), ctx()).state).toBe("approved");
    expect(judgeSignOff(record({ signedAt: ago(30 * D) }), ctx())).toMatchObject({
      state: "expired",
      reason: expect.stringMatching(/expired after 30 days/),
    });
    expect(judgeSignOff(record({ signedAt: ago(8 * D) }), ctx({ expiresAfterDays: 7 })).state).toBe("expired");
  });
  it("expiry wins over staleness, and a rejection is never stale (it already blocks)", () => {
    const regression: TRegression = {
      at: NOW,
      overallPct: 10,
      criticalFailed: 3,
      cause: "critical",
      since: NOW,
      recoveredAt: null,
      graceMs: 600_000,
    };
    expect(judgeSignOff(record({ signedAt: ago(40 * D) }), ctx({ regression })).state).toBe("expired");
    expect(judgeSignOff(record({ decision: "reject", comment: "no" }), ctx({ regression })).state).toBe("rejected");
  });
});

describe("judgeGoLive", () => {
  const role = (patch: Partial<TRoleStatus>): TRoleStatus => ({
    role: "r",
    name: "Role",
    required: true,
    latest: null,
    state: "pending",
    reason: null,
    regressed: [],
    regressedNote: null,
    ...patch,
  });
  const approvedAll = [
    role({ role: "tl", name: "Technical Lead", state: "approved", latest: record({ userName: "Tia" }) }),
    role({ role: "so", name: "Security Officer", state: "approved" }),
  ];

  it("approved when every required role approved and every critical criterion passed", () => {
    expect(judgeGoLive(approvedAll, [{ name: "Load tests", verdict: "passed" }])).toEqual({
      approved: true,
      missing: [],
    });
  });
  it("lists exactly what is missing, role by role and criterion by criterion", () => {
    const roles = [
      role({ name: "Technical Lead", state: "ready", latest: record({ userName: "Tia" }) }),
      role({
        name: "Security Officer",
        state: "stale",
        latest: record({ userName: "Sam" }),
        reason: "readiness regressed",
      }),
      role({ name: "Operations Lead", state: "expired", latest: record({ userName: "Oli" }) }),
      role({ name: "Product Owner", state: "rejected", latest: record({ userName: "Pat" }), reason: "scope" }),
      role({ name: "Executive", state: "pending" }),
      role({ name: "Observer", state: "pending", required: false }),
    ];
    expect(
      judgeGoLive(roles, [
        { name: "Load tests", verdict: "pending" },
        { name: "Chaos", verdict: "passed" },
      ]),
    ).toEqual({
      approved: false,
      missing: [
        "Technical Lead: marked ready (Tia), not approved",
        "Security Officer: sign-off stale (Sam): readiness regressed",
        "Operations Lead: sign-off expired (Oli)",
        "Product Owner: rejected (Pat): scope",
        "Executive: not signed",
        'critical criterion "Load tests" is pending',
      ],
    });
  });
  it("with the gate's verdict, a closed gate holds go-live back whatever the sign-offs, and a waived criterion does not", () => {
    const closed = {
      passed: false,
      reasons: ["score 59.5 % is below the 90 % minimum", 'critical check "API up" is failed: measured down, needs up'],
    };
    expect(judgeGoLive(approvedAll, [{ name: "Waived one", verdict: "waived" }], closed)).toEqual({
      approved: false,
      missing: [
        "readiness gate: score 59.5 % is below the 90 % minimum",
        'readiness gate: critical check "API up" is failed: measured down, needs up',
      ],
    });
    // The gate ignores a waived criterion: so does go-live, given the gate.
    expect(
      judgeGoLive(approvedAll, [{ name: "Waived one", verdict: "waived" }], { passed: true, reasons: [] }),
    ).toEqual({ approved: true, missing: [] });
  });
  it("optional roles never hold go-live back", () => {
    expect(judgeGoLive([...approvedAll, role({ required: false })], []).approved).toBe(true);
  });
});

describe("conflictingRole: separation of duties", () => {
  const latest = new Map([
    ["security-officer", record({ userId: "u1" })],
    ["technical-lead", record({ role: "technical-lead", userId: "u2" })],
  ]);
  it("names the other role a person already signed in this round", () => {
    expect(conflictingRole(latest, "u1", "technical-lead")).toBe("security-officer");
  });
  it("lets a person sign their own role again, and others sign freely", () => {
    expect(conflictingRole(latest, "u1", "security-officer")).toBeNull();
    expect(conflictingRole(latest, "u3", "product-owner")).toBeNull();
  });
});

describe("the sign-off grid shows a stale sign-off's regression and the grace", () => {
  const stale: TRoleStatus & { holders: { id: string; name: string; email: string }[] } = {
    role: "security-officer",
    name: "Security Officer",
    required: true,
    latest: record(),
    state: "stale",
    reason:
      "readiness regressed after signing: the score fell to 80.0 % (92.0 % when signed) at 2026-01-14T11:00:00.000Z and has not recovered",
    regressed: [
      {
        id: "p95",
        name: "API p95 latency",
        category: "perf",
        before: "passed",
        after: "failed",
        beforeMeasured: "180 ms",
        afterMeasured: "420 ms",
      },
    ],
    regressedNote: null,
    holders: [],
  };
  const render = async (roles: (typeof stale)[], regressionGraceMinutes = 10) => {
    const [{ createElement }, { renderToStaticMarkup }, { SignOffGrid }] = await Promise.all([
      import("react"),
      import("react-dom/server"),
      import("@/components/signoff/grid"),
    ]);
    return renderToStaticMarkup(createElement(SignOffGrid, { view: { roles, regressionGraceMinutes } }))
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ");
  };

  it("lists each check whose verdict changed, before and after, in the stale row", async () => {
    const text = await render([stale]);
    expect(text).toContain("Regressed since signing: API p95 latency: passed (180 ms) → failed (420 ms)");
    expect(text).toContain("and has not recovered");
  });
  it("says when the detail is unavailable, and shows no list for a standing sign-off", async () => {
    expect(await render([{ ...stale, regressed: [], regressedNote: "what regressed is not available: x" }])).toContain(
      "what regressed is not available: x",
    );
    expect(await render([{ ...stale, state: "approved", reason: null }])).not.toContain("Regressed since signing");
  });
  it("states the grace under the grid", async () => {
    expect(await render([stale])).toContain(
      "A regression that recovers within 10 minutes does not make a sign-off stale, unless a critical check failed",
    );
    expect(await render([stale], 0)).toContain("Every regression after signing makes a sign-off stale");
  });
});
