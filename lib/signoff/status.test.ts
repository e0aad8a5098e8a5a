import { describe, expect, it } from "vitest";
import { conflictingRole, isRegression, judgeGoLive, judgeSignOff, type TRoleStatus, type TSignOffRecord } from "./status";

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

const ctx = (patch: Partial<Parameters<typeof judgeSignOff>[1]> = {}) => ({ regression: null, now: NOW, expiresAfterDays: 30, ...patch });

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
  it("no score at all is below any gate", () => {
    expect(isRegression(signed, { at: NOW, overallPct: null, criticalFailed: 0 }, 90)).toBe(true);
  });
});

describe("judgeSignOff", () => {
  it("pending without a decision", () => {
    expect(judgeSignOff(null, ctx())).toEqual({ state: "pending", reason: null });
  });
  it("approved, ready and rejected as given", () => {
    expect(judgeSignOff(record(), ctx()).state).toBe("approved");
    expect(judgeSignOff(record({ decision: "ready" }), ctx()).state).toBe("ready");
    expect(judgeSignOff(record({ decision: "reject", comment: "mTLS not enforced on the gateway" }), ctx())).toEqual({ state: "rejected", reason: "mTLS not enforced on the gateway" });
  });
  it("stale after a regression, saying what regressed and when", () => {
    const stale = judgeSignOff(record(), ctx({ regression: { at: ago(3_600_000), overallPct: 80, criticalFailed: 0 } }));
    expect(stale.state).toBe("stale");
    expect(stale.reason).toBe("readiness regressed after signing: the score fell to 80.0 % (92.0 % when signed) at 2026-01-14T11:00:00.000Z");
    const failed = judgeSignOff(record(), ctx({ regression: { at: NOW, overallPct: 95, criticalFailed: 2 } }));
    expect(failed.reason).toMatch(/a critical check failed \(2 failing, 0 when signed\)/);
  });
  it("expires after the configured days, exactly at the boundary", () => {
    expect(judgeSignOff(record({ signedAt: new Date(NOW.getTime() - 30 * D + 1) }), ctx()).state).toBe("approved");
    expect(judgeSignOff(record({ signedAt: ago(30 * D) }), ctx())).toMatchObject({ state: "expired", reason: expect.stringMatching(/expired after 30 days/) });
    expect(judgeSignOff(record({ signedAt: ago(8 * D) }), ctx({ expiresAfterDays: 7 })).state).toBe("expired");
  });
  it("expiry wins over staleness, and a rejection is never stale (it already blocks)", () => {
    expect(judgeSignOff(record({ signedAt: ago(40 * D) }), ctx({ regression: { at: NOW, overallPct: 10, criticalFailed: 3 } })).state).toBe("expired");
    expect(judgeSignOff(record({ decision: "reject", comment: "no" }), ctx({ regression: { at: NOW, overallPct: 10, criticalFailed: 3 } })).state).toBe("rejected");
  });
});

describe("judgeGoLive", () => {
  const role = (patch: Partial<TRoleStatus>): TRoleStatus => ({ role: "r", name: "Role", required: true, latest: null, state: "pending", reason: null, ...patch });
  const approvedAll = [role({ role: "tl", name: "Technical Lead", state: "approved", latest: record({ userName: "Tia" }) }), role({ role: "so", name: "Security Officer", state: "approved" })];

  it("approved when every required role approved and every critical criterion passed", () => {
    expect(judgeGoLive(approvedAll, [{ name: "Load tests", verdict: "passed" }])).toEqual({ approved: true, missing: [] });
  });
  it("lists exactly what is missing, role by role and criterion by criterion", () => {
    const roles = [
      role({ name: "Technical Lead", state: "ready", latest: record({ userName: "Tia" }) }),
      role({ name: "Security Officer", state: "stale", latest: record({ userName: "Sam" }), reason: "readiness regressed" }),
      role({ name: "Operations Lead", state: "expired", latest: record({ userName: "Oli" }) }),
      role({ name: "Product Owner", state: "rejected", latest: record({ userName: "Pat" }), reason: "scope" }),
      role({ name: "Executive", state: "pending" }),
      role({ name: "Observer", state: "pending", required: false }),
    ];
    expect(judgeGoLive(roles, [{ name: "Load tests", verdict: "pending" }, { name: "Chaos", verdict: "passed" }])).toEqual({
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
