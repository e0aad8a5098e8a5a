import type { Metadata } from "next";
import { connection } from "next/server";
import { GoLiveCard } from "@/components/go-live-card";
import { PostDeploymentCard } from "@/components/postdeploy/post-deployment-card";
import { getPostDeployment } from "@/lib/queries/post-deployment";
import { can } from "@/lib/auth/permissions";
import { CARD, Section } from "@/components/ui/card";
import { withDatabasePage } from "@/components/outage/with-database";
import { SignOffGrid } from "@/components/signoff/grid";
import { SignOffHistory } from "@/components/signoff/history";
import { ReadinessNow } from "@/components/signoff/readiness-now";
import { requireUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { formatPercent, formatScore } from "@/lib/format";
import { getSignOffView, type TSignOffView } from "@/lib/queries/signoff";
import { describeFigures, judgeGate } from "@/lib/readiness/gate";
import { refreshReadiness } from "@/lib/services/readiness/refresh";
import { requestedRoles } from "@/lib/signoff/status";
import { SignPanel, type TApprovalWarnings } from "./client";

export const metadata: Metadata = { title: "Sign-off" };

type TRow = TSignOffView["roles"][number];

/** The person's own decision for a role while it still counts (then the form is closed), or why they sign again. */
function ownDecision(r: TRow, actorId: string) {
  const mine = r.latest?.userId === actorId ? r.latest : null;
  if (!mine) return { own: null, notice: null };
  if (r.state === "stale")
    return {
      own: null,
      notice: `Your sign-off is stale: ${r.reason ?? "readiness regressed"}. Sign again against the readiness shown.`,
    };
  if (r.state === "expired") return { own: null, notice: `Your sign-off expired: ${r.reason ?? "sign again"}.` };
  return {
    own: {
      decision: mine.decision,
      signedAt: mine.signedAt.toISOString(),
      snapshotHash: mine.snapshot.hash,
      comment: mine.comment,
    },
    notice: null,
  };
}

/** Reference section 11: the viewer's own sign-off first, then the go-live verdict, the readiness it binds to, and the grid. */
async function SignOffPage() {
  await connection();
  const actor = await requireUser();
  const prisma = getPrisma();
  const { config } = getConfig();
  const readiness = await refreshReadiness({ prisma, config });
  const { result, snapshot } = readiness;
  const view = await getSignOffView({ prisma, config }, result);
  const postDeployment = await getPostDeployment({ prisma, config, now: new Date() });
  const gate = judgeGate(result, readiness.gateMinPct);
  const roleName = (id: string) => config.signoff?.roles.find((r) => r.id === id)?.name ?? id;
  const held = view.roles.filter((r) => actor.signOffRoles.includes(r.role));
  const requested = view.configured ? requestedRoles(view.roles, actor, view.separationOfDuties) : [];
  const signedOther = view.separationOfDuties ? view.roles.find((r) => r.latest?.userId === actor.id) : undefined;
  const scoreText = `${formatScore(result.overallPct)}, ${result.blockers.length} blocker${result.blockers.length === 1 ? "" : "s"}`;
  const belowGate = result.overallPct === null || result.overallPct < readiness.gateMinPct;
  const warnings: TApprovalWarnings = {
    score: belowGate
      ? `Score ${formatScore(result.overallPct)} against a gate of ${formatPercent(readiness.gateMinPct)}`
      : null,
    blockers: result.blockers.map((b) => ({
      key: `${b.category ?? "criterion"}-${b.id}`,
      name: b.name,
      figures: describeFigures(b),
    })),
  };

  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold tracking-tight">Sign-off</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Each role is signed by a person who holds it, against a frozen readiness snapshot. A sign-off goes stale when
          readiness regresses after it (the score falls below the gate
          {view.regressionGraceMinutes > 0
            ? ` for ${view.regressionGraceMinutes} min or more, or has not recovered yet`
            : ""}
          , or a critical check fails) and expires after {view.expiresAfterDays} days.
          {view.separationOfDuties ? " One person signs one role per release." : ""}
        </p>
      </div>

      {view.configured && held.length > 0 && snapshot ? (
        <Section
          id="sign"
          className="space-y-3"
          data-testid="own-signoff"
          title={
            requested.length > 0
              ? `Your sign-off is requested: ${requested.map((r) => r.name).join(", ")}`
              : "Your sign-off"
          }
        >
          <div className="grid gap-4 lg:grid-cols-2">
            {held.map((r) =>
              signedOther && signedOther.role !== r.role ? (
                <p key={r.role} className={`${CARD.inset} text-sm`}>
                  You signed as {roleName(signedOther.role)} for this release; with separation of duties, someone else
                  signs as {r.name}.
                </p>
              ) : (
                <SignPanel
                  key={r.role}
                  role={r.role}
                  roleName={r.name}
                  snapshotHash={snapshot.hash}
                  scoreText={scoreText}
                  warnings={warnings}
                  {...ownDecision(r, actor.id)}
                />
              ),
            )}
          </div>
        </Section>
      ) : null}

      <GoLiveCard release={view.release} goLive={view.goLive} configured={view.configured} showLink={false} />
      <ReadinessNow
        result={result}
        gate={gate}
        snapshot={snapshot ? { hash: snapshot.hash, takenAt: snapshot.takenAt } : null}
      />

      <Section id="grid" className="space-y-2" title={view.release ? view.release.name : "Sign-off roles"}>
        <SignOffGrid view={view} />
      </Section>

      {actor.signOffRoles.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          You hold no sign-off role; an administrator assigns them to approvers.
        </p>
      ) : null}
      <PostDeploymentCard view={postDeployment} canMark={can(actor.role, "evidence:write")} />
      <SignOffHistory view={view} roleName={roleName} />
    </div>
  );
}

export default withDatabasePage(SignOffPage);
