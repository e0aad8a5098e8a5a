import { describe, expect, it } from "vitest";
import { judgeSignOff, type TRegression, type TRoleStatus } from "../signoff/status";
import { approvedRoles, makeStatement, record, roleStatus } from "./fixture";
import { statementStanding, type TCurrentSignOffs } from "./standing";

// The statement (fixture) carries the Technical Lead's approval by alice and the QA Lead's by bob, release 1.4.0.
const release = { name: "1.4.0", targetDate: "2026-03-05" };
const current = (roles: TRoleStatus[], name = release.name): TCurrentSignOffs => ({
  release: { ...release, name },
  roles,
});

describe("statementStanding", () => {
  it("is valid while every sign-off it carries is its role's latest and still counts", () => {
    expect(statementStanding(makeStatement(), current(approvedRoles()))).toEqual({ standing: "valid" });
  });

  it("is void once a sign-off went stale, naming the role, the signer, the regression and what regressed", () => {
    const [tech, qa] = approvedRoles() as [TRoleStatus, TRoleStatus];
    // The sign-off grid's own judgement of bob's QA approval after the score fell below the gate and stayed there.
    const regression: TRegression = {
      at: new Date("2026-03-02T11:00:00.000Z"),
      overallPct: 81.2,
      criticalFailed: 0,
      cause: "ongoing",
      since: new Date("2026-03-02T11:00:00.000Z"),
      recoveredAt: null,
      graceMs: 600_000,
    };
    const verdict = judgeSignOff(qa.latest, {
      regression,
      now: new Date("2026-03-02T12:00:00.000Z"),
      expiresAfterDays: 30,
    });
    expect(verdict.state).toBe("stale");
    const staleQa: TRoleStatus = {
      ...qa,
      ...verdict,
      regressed: [
        {
          id: "api-p95",
          name: "API p95 latency",
          category: "performance",
          before: "passed",
          after: "failed",
          beforeMeasured: "180 ms",
          afterMeasured: "420 ms",
        },
        {
          id: "security-tests",
          name: "Security suite",
          category: "security",
          before: "passed",
          after: "pending",
          beforeMeasured: null,
          afterMeasured: null,
        },
      ],
    };
    const standing = statementStanding(makeStatement(), current([tech, staleQa]));
    expect(standing.standing).toBe("void");
    if (standing.standing !== "void") return;
    expect(standing.causes).toEqual([{ cause: "stale", role: "qa", message: expect.any(String) }]);
    expect(standing.reason).toBe(
      `void: the QA Lead sign-off by bob went stale: ${verdict.reason}; 2 checks regressed: ` +
        "API p95 latency: passed (180 ms) → failed (420 ms); Security suite: passed → pending",
    );
    expect(standing.reason).toContain("at 2026-03-02T11:00:00.000Z");
  });

  it("says why what regressed is unknown when the grid cannot say", () => {
    const [tech, qa] = approvedRoles() as [TRoleStatus, TRoleStatus];
    const stale: TRoleStatus = {
      ...qa,
      state: "stale",
      reason:
        "readiness regressed after signing: a critical check failed (1 failing, 0 when signed) at 2026-03-02T11:00:00.000Z",
      regressedNote: "what regressed is not available: a stored snapshot result is unreadable",
    };
    const standing = statementStanding(makeStatement(), current([tech, stale]));
    expect(standing).toMatchObject({ standing: "void" });
    expect(standing.standing === "void" && standing.reason).toMatch(
      /a critical check failed .*; what regressed is not available/,
    );
  });

  it("is void once a sign-off expired", () => {
    const [tech, qa] = approvedRoles() as [TRoleStatus, TRoleStatus];
    const verdict = judgeSignOff(tech.latest, {
      regression: null,
      now: new Date("2026-04-10T00:00:00.000Z"),
      expiresAfterDays: 30,
    });
    const standing = statementStanding(makeStatement(), current([{ ...tech, ...verdict }, qa]));
    expect(standing).toMatchObject({ standing: "void", causes: [{ cause: "expired", role: "tech-lead" }] });
    expect(standing.standing === "void" && standing.reason).toBe(
      "void: the Technical Lead sign-off by alice expired: signed 2026-03-02, expired after 30 days: sign again",
    );
  });

  it("is void once a later decision replaced a sign-off it carries", () => {
    const [tech] = approvedRoles() as [TRoleStatus, TRoleStatus];
    const rejected = roleStatus(
      "qa",
      "QA Lead",
      record("qa", "carol", "2026-03-03T08:00:00.000Z", "reject"),
      "rejected",
    );
    const standing = statementStanding(makeStatement(), current([tech, rejected]));
    expect(standing).toMatchObject({ standing: "void", causes: [{ cause: "superseded", role: "qa" }] });
    expect(standing.standing === "void" && standing.reason).toBe(
      "void: the QA Lead sign-off by bob (2026-03-02T09:20:00.000Z) was followed by carol's reject at " +
        "2026-03-03T08:00:00.000Z: the statement no longer describes the approval",
    );
  });

  it("is void for a release that is no longer the current one", () => {
    const standing = statementStanding(makeStatement(), current(approvedRoles(), "1.5.0"));
    expect(standing).toMatchObject({ standing: "void", causes: [{ cause: "release", role: null }] });
    expect(standing.standing === "void" && standing.reason).toContain(
      'the statement is for release "1.4.0" and the current release is "1.5.0"',
    );
    expect(statementStanding(makeStatement(), { release: null, roles: [] })).toMatchObject({
      standing: "void",
      causes: [{ cause: "release" }],
    });
  });

  it("is void when a required role it has no sign-off for was added; a role no longer configured does not void it", () => {
    const [tech, qa] = approvedRoles() as [TRoleStatus, TRoleStatus];
    const security = roleStatus("security", "Security Officer", null);
    expect(statementStanding(makeStatement(), current([tech, qa, security]))).toMatchObject({
      standing: "void",
      causes: [
        {
          cause: "unsigned",
          role: "security",
          message: "the statement carries no sign-off for the required Security Officer role",
        },
      ],
    });
    expect(statementStanding(makeStatement(), current([tech, qa, { ...security, required: false }]))).toEqual({
      standing: "valid",
    });
    expect(statementStanding(makeStatement(), current([tech]))).toEqual({ standing: "valid" });
  });

  it("lists every reason when several sign-offs no longer count", () => {
    const [tech, qa] = approvedRoles() as [TRoleStatus, TRoleStatus];
    const standing = statementStanding(
      makeStatement(),
      current([
        { ...tech, state: "stale", reason: "readiness regressed after signing: x" },
        { ...qa, state: "expired", reason: "signed 2026-03-02, expired after 30 days: sign again" },
      ]),
    );
    expect(standing.standing === "void" && standing.causes.map((c) => [c.cause, c.role])).toEqual([
      ["stale", "tech-lead"],
      ["expired", "qa"],
    ]);
  });
});
