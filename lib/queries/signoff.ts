import type { TConfig } from "../config/schema";
import type { PrismaClient } from "../generated/prisma/client";
import {
  changedVerdicts,
  findCountingRegression,
  judgeGoLive,
  judgeSignOff,
  requestedRoles,
  type TGoLive,
  type TRegression,
  type TRoleStatus,
  type TSignOffRecord,
  type TSignOffState,
  type TSnapshotPoint,
} from "../signoff/status";
import type { ReadinessResult } from "../readiness/evaluate";
import { judgeGate } from "../readiness/gate";

// The sign-off grid of a release (reference section 11), each role's latest decision judged against the snapshots
// stored since, and the go-live verdict.

export type TSignOffView = {
  release: { name: string; targetDate: string | null } | null;
  configured: boolean;
  separationOfDuties: boolean;
  expiresAfterDays: number;
  /** A regression that recovered within this many minutes does not make a sign-off stale (unless a critical check failed). */
  regressionGraceMinutes: number;
  roles: (TRoleStatus & { holders: { id: string; name: string; email: string }[] })[];
  history: (TSignOffRecord & { id: string; release: string })[];
  goLive: TGoLive;
  /** Earlier releases, read-only: each role's last decision as it was given. */
  previousRounds: { release: string; signOffs: (TSignOffRecord & { id: string; release: string })[] }[];
};

type Row = Awaited<ReturnType<typeof loadSignOffs>>[number];

function loadSignOffs(prisma: PrismaClient, where: { release?: string; NOT?: { release: string } }) {
  return prisma.signOff.findMany({ where, orderBy: [{ signedAt: "desc" }, { id: "desc" }] });
}

type TRecord = TSignOffRecord & { id: string; release: string };

async function toRecords(prisma: PrismaClient, rows: Row[]): Promise<TRecord[]> {
  const snapshots = await prisma.readinessSnapshot.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.snapshotId))] } },
    select: { id: true, hash: true, takenAt: true, overallPct: true, criticalFailed: true, criticalFailedIds: true },
  });
  const byId = new Map(snapshots.map((s) => [s.id, s]));
  return rows.map((r) => {
    const s = byId.get(r.snapshotId);
    return {
      id: String(r.id),
      release: r.release,
      role: r.role,
      userId: r.userId,
      userName: r.userName,
      userEmail: r.userEmail,
      decision: r.decision,
      comment: r.comment,
      signedAt: r.signedAt,
      snapshot: {
        id: String(r.snapshotId),
        hash: r.snapshotHash,
        takenAt: s?.takenAt ?? r.signedAt,
        overallPct: s?.overallPct ?? r.scorePct,
        criticalFailed: s?.criticalFailed ?? 0,
        criticalFailedIds: s?.criticalFailedIds,
      },
    };
  });
}

const DAY_MS = 86_400_000;

/**
 * The snapshots stored after the earliest of these sign-offs, three columns each, in one query for every role;
 * findCountingRegression then reads each role's own stretch of them.
 */
async function loadPointsSince(prisma: PrismaClient, since: Date | null): Promise<TSnapshotPoint[]> {
  if (!since) return [];
  const rows = await prisma.readinessSnapshot.findMany({
    where: { takenAt: { gt: since } },
    orderBy: [{ takenAt: "asc" }, { id: "asc" }],
    select: { takenAt: true, overallPct: true, criticalFailed: true, criticalFailedIds: true },
  });
  return rows.map((r) => ({
    at: r.takenAt,
    overallPct: r.overallPct,
    criticalFailed: r.criticalFailed,
    criticalFailedIds: r.criticalFailedIds,
  }));
}

/** The regression that makes this sign-off stale, from the snapshots after it (see findCountingRegression). */
function findRegression(
  points: readonly TSnapshotPoint[],
  record: TSignOffRecord,
  options: { gateMinPct: number; graceMs: number },
): TRegression | null {
  const after = points.filter((p) => p.at.getTime() > record.signedAt.getTime());
  return findCountingRegression(record.snapshot, after, options);
}

const UNAVAILABLE =
  "what regressed is not available: a stored snapshot result is unreadable (malformed, or written by an older version)";

/**
 * For each stale role: the checks and criteria whose verdict changed between the signed snapshot and the one where
 * the counting regression began, read from their stored results in one query for all of them.
 */
async function whatRegressed(
  prisma: PrismaClient,
  stale: { record: TSignOffRecord; regression: TRegression }[],
): Promise<Map<TSignOffRecord, Pick<TRoleStatus, "regressed" | "regressedNote">>> {
  const out = new Map<TSignOffRecord, Pick<TRoleStatus, "regressed" | "regressedNote">>();
  if (stale.length === 0) return out;
  const ids = stale.flatMap(({ record }) => (/^\d+$/.test(record.snapshot.id) ? [BigInt(record.snapshot.id)] : []));
  const rows = await prisma.readinessSnapshot.findMany({
    where: { OR: [{ id: { in: ids } }, { takenAt: { in: stale.map((s) => s.regression.at) } }] },
    orderBy: { id: "asc" },
    select: { id: true, takenAt: true, result: true },
  });
  const byId = new Map(rows.map((r) => [String(r.id), r.result]));
  const byTime = new Map<number, unknown>();
  for (const r of rows) if (!byTime.has(r.takenAt.getTime())) byTime.set(r.takenAt.getTime(), r.result);
  for (const { record, regression } of stale) {
    const changes = changedVerdicts(byId.get(record.snapshot.id), byTime.get(regression.at.getTime()));
    if (changes === null) out.set(record, { regressed: [], regressedNote: UNAVAILABLE });
    else
      out.set(record, {
        regressed: changes,
        regressedNote:
          changes.length === 0 ? "no check or criterion changed its verdict between the two snapshots" : null,
      });
  }
  return out;
}

export async function getSignOffView(
  deps: { prisma: PrismaClient; config: TConfig },
  readiness: Pick<ReadinessResult, "criteria"> & Partial<Pick<ReadinessResult, "overallPct" | "blockers">>,
  now = new Date(),
): Promise<TSignOffView> {
  const { prisma, config } = deps;
  const signoff = config.signoff;
  const release = config.system.release
    ? { name: config.system.release.name, targetDate: config.system.release.targetDate ?? null }
    : null;
  const gateMinPct = config.scorecard?.gate.minScorePct ?? 90;
  const criticalCriteria = readiness.criteria.filter((c) => c.critical);
  // With the live score, go-live also needs the gate open: the same verdict the gate command and the verdict line give.
  const gate =
    readiness.overallPct !== undefined && readiness.blockers !== undefined
      ? judgeGate({ overallPct: readiness.overallPct, blockers: readiness.blockers }, gateMinPct)
      : undefined;
  if (!signoff || !release) {
    return {
      release,
      configured: false,
      separationOfDuties: true,
      expiresAfterDays: 30,
      regressionGraceMinutes: 10,
      roles: [],
      history: [],
      goLive: judgeGoLive([], criticalCriteria, gate),
      previousRounds: [],
    };
  }
  const [history, holders, previous] = await Promise.all([
    loadSignOffs(prisma, { release: release.name }).then((rows) => toRecords(prisma, rows)),
    prisma.signOffRoleAssignment.findMany({
      where: { user: { disabledAt: null } },
      include: { user: { select: { id: true, name: true, email: true } } },
    }),
    loadSignOffs(prisma, { NOT: { release: release.name } }).then((rows) => toRecords(prisma, rows)),
  ]);
  const latestOf = new Map(signoff.roles.map((role) => [role.id, history.find((r) => r.role === role.id) ?? null]));
  // Only a standing approval or "ready" can go stale: a rejection already blocks, an expired one is given again.
  const judged = [...latestOf.values()].filter(
    (r): r is TRecord =>
      r !== null && r.decision !== "reject" && r.signedAt.getTime() + signoff.expiresAfterDays * DAY_MS > now.getTime(),
  );
  const since = judged.reduce<Date | null>((min, r) => (min === null || r.signedAt < min ? r.signedAt : min), null);
  const points = await loadPointsSince(prisma, since);
  const options = { gateMinPct, graceMs: signoff.regressionGraceMinutes * 60_000 };
  const regressions = new Map(judged.map((r) => [r, findRegression(points, r, options)]));
  const detail = await whatRegressed(
    prisma,
    [...regressions].flatMap(([record, regression]) => (regression ? [{ record, regression }] : [])),
  );
  const roles = signoff.roles.map((role) => {
    const latest = latestOf.get(role.id) ?? null;
    const verdict = judgeSignOff(latest, {
      regression: (latest && regressions.get(latest)) ?? null,
      now,
      expiresAfterDays: signoff.expiresAfterDays,
    });
    const regressed = verdict.state === "stale" && latest ? detail.get(latest) : undefined;
    return {
      role: role.id,
      name: role.name,
      required: role.required,
      latest,
      ...verdict,
      regressed: regressed?.regressed ?? [],
      regressedNote: regressed?.regressedNote ?? null,
      holders: holders.filter((h) => h.role === role.id).map((h) => h.user),
    };
  });
  const rounds = new Map<string, TRecord[]>();
  for (const record of previous) {
    const list = rounds.get(record.release) ?? [];
    if (!list.some((r) => r.role === record.role)) list.push(record);
    rounds.set(record.release, list);
  }
  return {
    release,
    configured: true,
    separationOfDuties: signoff.separationOfDuties,
    expiresAfterDays: signoff.expiresAfterDays,
    regressionGraceMinutes: signoff.regressionGraceMinutes,
    roles,
    history,
    goLive: judgeGoLive(roles, criticalCriteria, gate),
    previousRounds: [...rounds].map(([name, signOffs]) => ({ release: name, signOffs })),
  };
}

/**
 * The sign-offs requested of this person in the current release: the roles they hold whose state is pending, stale
 * or expired. With separation of duties, once they signed one role of this round, no other role is asked of them
 * (their own is, again, if it went stale or expired). Empty without a release, sign-off roles, or a role held.
 */
export async function getRequestedSignOffs(
  deps: { prisma: PrismaClient; config: TConfig },
  actor: { id: string; signOffRoles: string[] },
  readiness: Pick<ReadinessResult, "criteria">,
  now = new Date(),
): Promise<{ role: string; name: string; state: TSignOffState }[]> {
  if (actor.signOffRoles.length === 0 || !deps.config.signoff || !deps.config.system.release) return [];
  const view = await getSignOffView(deps, readiness, now);
  return view.configured ? requestedRoles(view.roles, actor, view.separationOfDuties) : [];
}
