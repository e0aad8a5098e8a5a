import type { TConfig } from "../config/schema";
import type { PrismaClient } from "../generated/prisma/client";
import { judgeGoLive, judgeSignOff, type TGoLive, type TRegression, type TRoleStatus, type TSignOffRecord } from "../signoff/status";
import type { ReadinessResult } from "../readiness/evaluate";

// The sign-off grid of a release (reference section 11), each role's latest decision judged against the snapshots
// stored since, and the go-live verdict.

export type TSignOffView = {
  release: { name: string; targetDate: string | null } | null;
  configured: boolean;
  separationOfDuties: boolean;
  expiresAfterDays: number;
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
    select: { id: true, hash: true, takenAt: true, overallPct: true, criticalFailed: true },
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
      snapshot: { id: String(r.snapshotId), hash: r.snapshotHash, takenAt: s?.takenAt ?? r.signedAt, overallPct: s?.overallPct ?? r.scorePct, criticalFailed: s?.criticalFailed ?? 0 },
    };
  });
}

/** The first snapshot after a sign-off that undoes what the signer saw (see isRegression), straight in SQL. */
async function findRegression(prisma: PrismaClient, record: TSignOffRecord, gateMinPct: number): Promise<TRegression | null> {
  const signedScore = record.snapshot.overallPct ?? -1;
  const rows = await prisma.$queryRaw<{ taken_at: Date; overall_pct: number | null; critical_failed: number }[]>`
    SELECT taken_at, overall_pct, critical_failed FROM readiness_snapshot
    WHERE taken_at > ${record.signedAt}
      AND ((COALESCE(overall_pct, -1) < ${gateMinPct} AND COALESCE(overall_pct, -1) < ${signedScore}) OR critical_failed > ${record.snapshot.criticalFailed})
    ORDER BY taken_at ASC LIMIT 1`;
  const row = rows[0];
  return row ? { at: row.taken_at, overallPct: row.overall_pct, criticalFailed: row.critical_failed } : null;
}

export async function getSignOffView(deps: { prisma: PrismaClient; config: TConfig }, readiness: Pick<ReadinessResult, "criteria">, now = new Date()): Promise<TSignOffView> {
  const { prisma, config } = deps;
  const signoff = config.signoff;
  const release = config.system.release ? { name: config.system.release.name, targetDate: config.system.release.targetDate ?? null } : null;
  const gateMinPct = config.scorecard?.gate.minScorePct ?? 90;
  const criticalCriteria = readiness.criteria.filter((c) => c.critical);
  if (!signoff || !release) {
    return { release, configured: false, separationOfDuties: true, expiresAfterDays: 30, roles: [], history: [], goLive: judgeGoLive([], criticalCriteria), previousRounds: [] };
  }
  const [history, holders, previous] = await Promise.all([
    loadSignOffs(prisma, { release: release.name }).then((rows) => toRecords(prisma, rows)),
    prisma.signOffRoleAssignment.findMany({ where: { user: { disabledAt: null } }, include: { user: { select: { id: true, name: true, email: true } } } }),
    loadSignOffs(prisma, { NOT: { release: release.name } }).then((rows) => toRecords(prisma, rows)),
  ]);
  const roles = await Promise.all(
    signoff.roles.map(async (role) => {
      const latest = history.find((r) => r.role === role.id) ?? null;
      const regression = latest && latest.decision !== "reject" ? await findRegression(prisma, latest, gateMinPct) : null;
      const judged = judgeSignOff(latest, { regression, now, expiresAfterDays: signoff.expiresAfterDays });
      return {
        role: role.id,
        name: role.name,
        required: role.required,
        latest,
        ...judged,
        holders: holders.filter((h) => h.role === role.id).map((h) => h.user),
      };
    }),
  );
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
    roles,
    history,
    goLive: judgeGoLive(roles, criticalCriteria),
    previousRounds: [...rounds].map(([name, signOffs]) => ({ release: name, signOffs })),
  };
}
