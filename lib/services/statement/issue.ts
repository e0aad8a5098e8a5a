import { createHash } from "node:crypto";
import { appendAudit } from "../../audit/append";
import type { TConfig } from "../../config/schema";
import { getEnv } from "../../env";
import type { PrismaClient } from "../../generated/prisma/client";
import { getAuditHead } from "../../queries/audit-head";
import { getSignOffView } from "../../queries/signoff";
import { judgeGate } from "../../readiness/gate";
import { buildReadinessStatement } from "../../statement/build";
import { signStatement } from "../../statement/envelope";
import { loadOrCreateSigningKey, type TSigningKey } from "../../statement/keys";
import { refreshReadiness } from "../readiness/refresh";

// Issuing readiness statements (lib/statement): once go-live is approved for the release and CI has named its
// artefacts, one signed statement over them, the snapshot, the scorecard's digest, the audit head and each
// sign-off. A new one only when the sign-offs it would carry or the artefacts change; each issue is audited.

const KEY = Symbol.for("preflight.statementKey");
type WithKey = typeof globalThis & { [KEY]?: TSigningKey };

/** The process's signing key: PREFLIGHT_STATEMENT_KEY, or the data directory's key file (made on first use). */
export function signingKey(): TSigningKey {
  const holder = globalThis as WithKey;
  if (!holder[KEY]) {
    const env = getEnv();
    holder[KEY] = loadOrCreateSigningKey({ dataDir: env.PREFLIGHT_DATA_DIR, envPem: env.PREFLIGHT_STATEMENT_KEY });
  }
  return holder[KEY];
}

export type TIssueOutcome =
  | { issued: true; id: string; envelope: string }
  | { issued: false; reason: string; current: { id: string; envelope: string } | null };

/** Issues the release's statement when one is due; otherwise says why not (and returns the current one, if any). */
export async function issueStatement(
  deps: { prisma: PrismaClient; config: TConfig },
  actor: { type: "user" | "token"; id: string; name: string },
  now = new Date(),
): Promise<TIssueOutcome> {
  const { prisma, config } = deps;
  const release = config.system.release?.name;
  if (!release) return { issued: false, reason: "the configuration names no release", current: null };
  const latest = await prisma.readinessStatement.findFirst({ where: { release }, orderBy: { issuedAt: "desc" } });
  const current = latest ? { id: String(latest.id), envelope: latest.envelope } : null;

  const readiness = await refreshReadiness(deps, now);
  const minScorePct = config.scorecard?.gate.minScorePct ?? 90;
  const view = await getSignOffView(deps, readiness.result, now);
  if (!view.goLive.approved)
    return { issued: false, reason: `go-live is not approved: ${view.goLive.missing.join("; ")}`, current };
  if (!readiness.snapshot) return { issued: false, reason: "no readiness snapshot is stored", current };
  const artefacts = await prisma.releaseArtefact.findMany({ where: { release }, orderBy: { id: "asc" } });
  if (artefacts.length === 0)
    return { issued: false, reason: "go-live is approved, but CI has named no artefact for the release", current };

  const carried = view.roles
    .filter((r) => r.latest && (r.state === "approved" || r.state === "ready"))
    .map((r) => `${r.role}:${r.latest?.userId}:${r.latest?.signedAt.toISOString()}`)
    .sort()
    .join(",");
  const digests = artefacts.map((a) => a.digest).sort();
  if (latest && latest.signOffIds === carried && [...latest.digests].sort().join() === digests.join())
    return { issued: false, reason: "the current statement already carries these sign-offs and artefacts", current };

  const key = signingKey();
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`preflight.statement:${release}`}))`;
    const built = buildReadinessStatement({
      system: config.system,
      artefacts: artefacts.map((a) => ({ name: a.name, digest: a.digest })),
      signOff: view,
      snapshot: readiness.snapshot as NonNullable<typeof readiness.snapshot>,
      gate: { minScorePct, passed: judgeGate(readiness.result, minScorePct).passed },
      scorecard: config.scorecard,
      auditHead: await getAuditHead({ prisma: tx }),
      issuedAt: now,
    });
    if (!built.ok) return { issued: false as const, reason: built.reason, current };
    const envelope = JSON.stringify(signStatement(built.statement, key));
    const snapshot = readiness.snapshot as NonNullable<typeof readiness.snapshot>;
    const row = await tx.readinessStatement.create({
      data: {
        release,
        issuedAt: now,
        keyid: key.keyid,
        digests,
        snapshotId: BigInt(snapshot.id),
        snapshotHash: snapshot.hash,
        signOffIds: carried,
        envelope,
      },
    });
    await appendAudit(
      tx,
      {
        actor,
        action: "statement.issue",
        entityType: "readiness_statement",
        entityId: String(row.id),
        after: {
          release,
          keyid: key.keyid,
          digests,
          snapshotHash: snapshot.hash,
          payloadSha256: createHash("sha256").update(envelope).digest("hex"),
        },
      },
      now,
    );
    return { issued: true as const, id: String(row.id), envelope };
  });
}
