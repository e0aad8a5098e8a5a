import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { PrismaClient } from "../generated/prisma/client";
import type { ReadinessResult } from "./evaluate";

// Readiness snapshots: the result frozen with a SHA-256 over its canonical JSON (RFC 8785, by the `canonicalize`
// package), so anyone can recompute the hash a sign-off was given against. A snapshot is stored when a verdict
// or the score changes, and at least hourly for the trend.

export const SNAPSHOT_EVERY_MS = 3_600_000;

export type SnapshotRow = {
  id: string;
  takenAt: string;
  overallPct: number | null;
  blockers: number;
  criticalFailed: number;
  reason: string;
  hash: string;
};

/** Critical checks and criteria that failed outright (pending ones are blockers, but not failures). */
export function countCriticalFailed(result: ReadinessResult): number {
  return result.blockers.filter((b) => b.verdict === "failed").length;
}

/** Which ones, as "category/check" or "criterion/id", sorted: what a sign-off's staleness compares. */
export function criticalFailedIds(result: Pick<ReadinessResult, "blockers">): string[] {
  return result.blockers
    .filter((b) => b.verdict === "failed")
    .map((b) => `${b.category ?? "criterion"}/${b.id}`)
    .sort();
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function canonical(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("readiness result is not serialisable");
  return text;
}

/** The hash of a snapshot: over { takenAt, result } exactly as stored. */
export function snapshotHash(takenAt: string, result: ReadinessResult): string {
  return sha256(canonical({ takenAt, result }));
}

/**
 * What a sign-off depends on: the score to a hundredth of a point and every verdict. Measured values move all the
 * time ("up for 3 h 12 min") and do not by themselves make a new snapshot.
 */
export function readinessFingerprint(result: ReadinessResult): string {
  return sha256(
    canonical({
      overallPct: result.overallPct === null ? null : Math.round(result.overallPct * 100) / 100, // format-ok: fingerprint precision
      categories: result.categories.map((c) => [c.id, c.scorePct === null ? null : Math.round(c.scorePct * 100) / 100]), // format-ok: fingerprint
      // A soaking check's start is part of it: the snapshot that records it is what the soak is counted from.
      checks: result.checks.map((c) =>
        c.heldSince === undefined ? [c.id, c.verdict] : [c.id, c.verdict, c.heldSince],
      ),
      criteria: result.criteria.map((c) =>
        c.heldSince === undefined ? [c.id, c.verdict] : [c.id, c.verdict, c.heldSince],
      ),
    }),
  );
}

const toRow = (r: {
  id: bigint;
  takenAt: Date;
  overallPct: number | null;
  blockers: number;
  criticalFailed: number;
  reason: string;
  hash: string;
}): SnapshotRow => ({
  id: String(r.id),
  takenAt: r.takenAt.toISOString(),
  overallPct: r.overallPct,
  blockers: r.blockers,
  criticalFailed: r.criticalFailed,
  reason: r.reason,
  hash: r.hash,
});

/**
 * Stores a snapshot when the fingerprint differs from the latest one's or the latest is an hour old; returns the
 * snapshot that now stands for this result. Serialised by an advisory lock so that the web process and workers
 * evaluating at once do not store the same change twice.
 */
export async function recordSnapshot(
  prisma: PrismaClient,
  result: ReadinessResult,
  now: Date,
): Promise<{ snapshot: SnapshotRow; stored: boolean }> {
  const fingerprint = readinessFingerprint(result);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('preflight.readiness_snapshot'))`;
    const last = await tx.readinessSnapshot.findFirst({ orderBy: { takenAt: "desc" } });
    const reason = !last
      ? "first"
      : last.fingerprint !== fingerprint
        ? "change"
        : now.getTime() - last.takenAt.getTime() >= SNAPSHOT_EVERY_MS
          ? "hourly"
          : null;
    if (last && reason === null) {
      await tx.readinessSnapshot.update({ where: { id: last.id }, data: { confirmedAt: now } });
      return { snapshot: toRow(last), stored: false };
    }
    const takenAt = now.toISOString();
    const row = await tx.readinessSnapshot.create({
      data: {
        takenAt: now,
        overallPct: result.overallPct,
        blockers: result.blockers.length,
        criticalFailed: countCriticalFailed(result),
        criticalFailedIds: criticalFailedIds(result),
        reason: reason ?? "first",
        fingerprint,
        hash: snapshotHash(takenAt, result),
        // The stored JSON is the hashed value: JSON round-trips it exactly (no undefined, no Dates in the result).
        result: JSON.parse(JSON.stringify(result)) as object,
      },
    });
    return { snapshot: toRow(row), stored: true };
  });
}

export async function latestSnapshot(prisma: PrismaClient): Promise<SnapshotRow | null> {
  const row = await prisma.readinessSnapshot.findFirst({ orderBy: { takenAt: "desc" } });
  return row ? toRow(row) : null;
}

export async function snapshotTrend(
  prisma: PrismaClient,
  since: Date,
): Promise<{ takenAt: string; overallPct: number | null; blockers: number }[]> {
  const rows = await prisma.readinessSnapshot.findMany({
    where: { takenAt: { gte: since } },
    orderBy: { takenAt: "asc" },
    select: { takenAt: true, overallPct: true, blockers: true },
    take: 5000,
  });
  return rows.map((r) => ({ takenAt: r.takenAt.toISOString(), overallPct: r.overallPct, blockers: r.blockers }));
}

/** Recomputes a stored snapshot's hash from its stored JSON: true when it matches. */
export function verifySnapshot(row: { takenAt: Date; hash: string; result: unknown }): boolean {
  return snapshotHash(row.takenAt.toISOString(), row.result as ReadinessResult) === row.hash;
}
