import type { Metadata } from "next";
import Link from "next/link";
import {
  ArtefactChecks,
  ArtefactSource,
  ChangesNote,
  FindingsTable,
  NoArtefacts,
  RuleTable,
} from "@/components/artefacts/artefact-parts";
import { CARD, Section } from "@/components/ui/card";
import { withDatabasePage } from "@/components/outage/with-database";
import { requireUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { formatNumber } from "@/lib/format";
import { getInfrastructureView } from "@/lib/queries/artefacts";
import { COMPOSE_RULE_LABELS, MANIFEST_RULE_LABELS } from "@/lib/readiness/artefact-findings";

export const metadata: Metadata = { title: "Infrastructure" };

async function InfrastructurePage() {
  await requireUser();
  const { config } = getConfig();
  const view = await getInfrastructureView(getPrisma(), config, new Date());
  const now = view.generatedAt;
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Infrastructure</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Rendered Kubernetes manifests (<code className="font-mono">helm template</code>,{" "}
          <code className="font-mono">kubectl kustomize</code>) and compose files as CI pushes them, judged by
          Preflight&rsquo;s built-in rules; each finding names the object. Per project, the latest push, the{" "}
          <Link href="/scorecard" className="underline underline-offset-2">
            scorecard
          </Link>{" "}
          checks that name it, and what changed since the push before.
        </p>
      </div>

      <Section id="manifests" title="Kubernetes manifests">
        {view.manifests.length === 0 ? (
          <NoArtefacts what="manifests" kind="manifests" endpoint="/api/v1/evidence/manifests" />
        ) : null}
        {view.manifests.map((m, i) => (
          <article
            key={m.project}
            aria-labelledby={`manifests-${i}`}
            data-testid="manifest-project"
            data-project={m.project}
            className={CARD.inset}
          >
            <h3 id={`manifests-${i}`} className="font-semibold">
              {m.project}
            </h3>
            <ArtefactSource view={m} what="manifests" now={now} />
            {m.latest ? (
              <p className="text-sm" data-testid="manifest-objects">
                {formatNumber(m.latest.objects)} objects, {formatNumber(m.latest.workloads)} workloads:{" "}
                {Object.entries(m.latest.byKind)
                  .map(([kind, n]) => `${n} ${kind}`)
                  .join(", ")}
              </p>
            ) : null}
            <ArtefactChecks checks={m.checks} />
            {m.latest ? (
              <>
                <ChangesNote changes={m.changes} now={now} />
                <RuleTable
                  rules={m.latest.rules}
                  labels={MANIFEST_RULE_LABELS}
                  caption={`Built-in manifest rules on ${m.project}: objects checked and failed (replicas with the default minimum of 2)`}
                />
                <FindingsTable
                  findings={m.findings}
                  caption={`Findings on ${m.project}'s latest manifests`}
                  columns={{ rule: "Rule", object: "Object", location: "Where" }}
                />
              </>
            ) : null}
          </article>
        ))}
      </Section>

      <Section id="compose" title="Compose files">
        {view.compose.length === 0 ? (
          <NoArtefacts what="compose files" kind="compose" endpoint="/api/v1/evidence/compose" />
        ) : null}
        {view.compose.map((c, i) => (
          <article
            key={c.project}
            aria-labelledby={`compose-${i}`}
            data-testid="compose-project"
            data-project={c.project}
            className={CARD.inset}
          >
            <h3 id={`compose-${i}`} className="font-semibold">
              {c.project}
              {c.latest?.name ? (
                <span className="ml-2 text-sm font-normal text-slate-600 dark:text-slate-300">{c.latest.name}</span>
              ) : null}
            </h3>
            <ArtefactSource view={c} what="compose file" now={now} />
            {c.latest ? (
              <p className="text-sm">
                {formatNumber(c.latest.services.length)} services: {c.latest.services.join(", ")}
              </p>
            ) : null}
            <ArtefactChecks checks={c.checks} />
            {c.latest ? (
              <>
                <ChangesNote changes={c.changes} now={now} />
                <RuleTable
                  rules={c.latest.rules}
                  labels={COMPOSE_RULE_LABELS}
                  caption={`Built-in compose rules on ${c.project}: services checked and failed`}
                />
                <FindingsTable
                  findings={c.findings}
                  caption={`Findings on ${c.project}'s latest compose file`}
                  columns={{ rule: "Rule", object: "Service", location: "Where" }}
                />
              </>
            ) : null}
          </article>
        ))}
      </Section>
    </div>
  );
}

export default withDatabasePage(InfrastructurePage);
