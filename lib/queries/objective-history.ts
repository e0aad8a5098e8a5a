import type { TCheck, TScorecard } from "../config/scorecard-schema";
import type { PrismaClient } from "../generated/prisma/client";
import { formatTime } from "../format";
import type { CheckResult } from "../readiness/evaluate";
import { baselineKey, checkKey, type ReadinessFacts } from "../readiness/facts";

// What the objectives of a scorecard need from earlier snapshots (lib/readiness/objectives.ts): the baselines of
// relative criteria, frozen in the snapshot they compare with, and where each soaking check's unbroken run began.

/**
 * A soak is counted on only while evaluations vouch that nothing broke: the worker re-evaluates every minute and
 * stores a snapshot on any change, so a latest snapshot confirmed longer ago than this means nobody was watching.
 */
export const SOAK_VOUCH_MS = 5 * 60_000;

type Located = { category: string | null; check: TCheck };

function located(scorecard: TScorecard): Located[] {
  return [
    ...scorecard.categories.flatMap((c) => c.checks.map((check) => ({ category: c.id as string | null, check }))),
    ...scorecard.criteria.map((check) => ({ category: null, check })),
  ];
}

type StoredResult = { checks?: CheckResult[]; criteria?: CheckResult[] };

/** A check's stored result in a snapshot's JSON, by its key. */
function storedCheck(result: unknown, key: string): CheckResult | undefined {
  const r = (result ?? {}) as StoredResult;
  return [...(r.checks ?? []), ...(r.criteria ?? [])].find((c) => checkKey(c.category ?? null, c.id) === key);
}

const valueIn = (result: unknown, key: string): number | null => {
  const value = storedCheck(result, key)?.value;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
};

type SnapshotRow = { id: bigint; takenAt: Date; result: unknown };

async function comparisonSnapshots(
  prisma: PrismaClient,
  compareWith: string | { last: number },
  gateMinPct: number,
): Promise<{ rows: SnapshotRow[]; label: string } | null> {
  const select = { id: true, takenAt: true, result: true } as const;
  if (compareWith === "lastSigned") {
    // The snapshot the latest approval stood on, of any release: what was signed is what a build is held to.
    const signed = await prisma.signOff.findFirst({
      where: { decision: { in: ["approve", "ready"] } },
      orderBy: { signedAt: "desc" },
      select: { snapshotId: true, release: true, role: true, userName: true },
    });
    if (!signed) return null;
    const row = await prisma.readinessSnapshot.findUnique({ where: { id: signed.snapshotId }, select });
    return row
      ? {
          rows: [row],
          label: `snapshot #${row.id} of ${formatTime(row.takenAt)}, signed for ${signed.release} (${signed.role}, ${signed.userName})`,
        }
      : null;
  }
  if (compareWith === "lastPassing") {
    // The latest snapshot that cleared the gate: no blocker, the score at or above it.
    const row = await prisma.readinessSnapshot.findFirst({
      where: { blockers: 0, overallPct: { gte: gateMinPct } },
      orderBy: { takenAt: "desc" },
      select,
    });
    return row ? { rows: [row], label: `snapshot #${row.id} of ${formatTime(row.takenAt)}, the last passing` } : null;
  }
  if (typeof compareWith === "object") {
    const rows = await prisma.readinessSnapshot.findMany({
      orderBy: { takenAt: "desc" },
      take: compareWith.last,
      select,
    });
    return rows.length > 0 ? { rows, label: `the mean of the last ${rows.length} snapshots` } : null;
  }
  return null;
}

/** The history facts of a scorecard, in one or two queries per comparison mode used and one for soaks. */
export async function gatherObjectiveHistory(
  prisma: PrismaClient,
  scorecard: TScorecard,
  now: Date,
): Promise<NonNullable<ReadinessFacts["history"]>> {
  const history: NonNullable<ReadinessFacts["history"]> = { baselines: {}, heldSince: {} };
  const all = located(scorecard);
  const comparing = all.filter((l) => l.check.compareWith !== undefined);
  const modes = new Map<string, string | { last: number }>();
  for (const l of comparing) {
    const mode = l.check.compareWith as string | { last: number };
    modes.set(baselineKey(mode, ""), mode);
  }
  for (const mode of modes.values()) {
    const found = await comparisonSnapshots(prisma, mode, scorecard.gate.minScorePct);
    for (const l of comparing.filter((c) => baselineKey(c.check.compareWith as string, "") === baselineKey(mode, ""))) {
      const key = checkKey(l.category, l.check.id);
      if (!found) continue;
      const values = found.rows.map((r) => valueIn(r.result, key)).filter((v): v is number => v !== null);
      history.baselines[baselineKey(mode, key)] =
        values.length > 0
          ? { value: values.reduce((a, b) => a + b, 0) / values.length, source: found.label }
          : { value: null, source: `${found.label}, which has no value for this check` };
    }
  }

  const soaking = all.filter((l) => l.check.holdFor !== undefined);
  if (soaking.length > 0) {
    const latest = await prisma.readinessSnapshot.findFirst({
      orderBy: { takenAt: "desc" },
      select: { takenAt: true, confirmedAt: true, result: true },
    });
    const vouchedAt = latest ? (latest.confirmedAt ?? latest.takenAt).getTime() : null;
    if (latest && vouchedAt !== null && now.getTime() - vouchedAt <= SOAK_VOUCH_MS) {
      for (const l of soaking) {
        const key = checkKey(l.category, l.check.id);
        const since = storedCheck(latest.result, key)?.heldSince;
        if (typeof since === "string") history.heldSince[key] = since;
      }
    }
  }
  return history;
}
