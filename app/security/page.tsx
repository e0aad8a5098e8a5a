import type { Metadata } from "next";
import Link from "next/link";
import {
  ArtefactChecks,
  ArtefactSource,
  ChangesNote,
  FindingsTable,
  NoArtefacts,
} from "@/components/artefacts/artefact-parts";
import { CARD, Section } from "@/components/ui/card";
import { withDatabasePage } from "@/components/outage/with-database";
import { requireUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { formatNumber } from "@/lib/format";
import { getSecurityView } from "@/lib/queries/artefacts";

export const metadata: Metadata = { title: "Security" };

async function SecurityPage() {
  await requireUser();
  const { config } = getConfig();
  const view = await getSecurityView(getPrisma(), config, new Date());
  const now = view.generatedAt;
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Security</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Measured from what CI pushes, never typed in: static-analysis and security scans (SARIF 2.1.0, from any tool)
          and software bills of materials (CycloneDX, SPDX) with the vulnerabilities they carry. Per project, the latest
          push judged by the{" "}
          <Link href="/scorecard" className="underline underline-offset-2">
            scorecard
          </Link>{" "}
          checks that name it, its findings, and what changed since the push before.
        </p>
      </div>

      <Section id="scans" title="Scans (SARIF)">
        {view.scans.length === 0 ? <NoArtefacts what="scans" kind="scan" endpoint="/api/v1/evidence/sarif" /> : null}
        {view.scans.map((s, i) => (
          <article
            key={s.project}
            aria-labelledby={`scan-${i}`}
            data-testid="scan-project"
            data-project={s.project}
            className={CARD.inset}
          >
            <h3 id={`scan-${i}`} className="font-semibold">
              {s.project}
              {s.latest ? (
                <span className="ml-2 text-sm font-normal text-slate-600 dark:text-slate-300">
                  {s.latest.tools.join(", ")}
                </span>
              ) : null}
            </h3>
            <ArtefactSource view={s} what="SARIF log" now={now} />
            {s.latest ? (
              <p className="text-sm tabular-nums" data-testid="scan-counts">
                <strong>{formatNumber(s.latest.counts.error)}</strong> error{s.latest.counts.error === 1 ? "" : "s"},{" "}
                <strong>{formatNumber(s.latest.counts.warning)}</strong> warning
                {s.latest.counts.warning === 1 ? "" : "s"}, {formatNumber(s.latest.counts.note)} note
                {s.latest.counts.note === 1 ? "" : "s"}
                {s.latest.suppressed > 0
                  ? `, ${formatNumber(s.latest.suppressed)} suppressed (shown in the log, not counted)`
                  : ""}
              </p>
            ) : null}
            <ArtefactChecks checks={s.checks} />
            {s.latest ? (
              <>
                <ChangesNote changes={s.changes} now={now} />
                <FindingsTable
                  findings={s.findings}
                  caption={`Unsuppressed results of ${s.project}'s latest scan, most severe first`}
                  columns={{ rule: "Rule", object: "Tool", location: "File and line" }}
                />
              </>
            ) : null}
          </article>
        ))}
      </Section>

      <Section id="sbom" title="Supply chain (SBOM and vulnerabilities)">
        {view.sboms.length === 0 ? <NoArtefacts what="SBOMs" kind="sbom" endpoint="/api/v1/evidence/sbom" /> : null}
        {view.sboms.map((b, i) => (
          <article
            key={b.project}
            aria-labelledby={`sbom-${i}`}
            data-testid="sbom-project"
            data-project={b.project}
            className={CARD.inset}
          >
            <h3 id={`sbom-${i}`} className="font-semibold">
              {b.project}
              {b.latest ? (
                <span className="ml-2 text-sm font-normal text-slate-600 dark:text-slate-300">
                  {b.latest.format}
                  {b.latest.tool ? `, ${b.latest.tool}` : ""}
                  {b.latest.subject ? `, for ${b.latest.subject}` : ""}
                </span>
              ) : null}
            </h3>
            <ArtefactSource view={b} what="SBOM" now={now} />
            {b.latest ? (
              <p className="text-sm tabular-nums" data-testid="sbom-counts">
                {formatNumber(b.latest.components)} component{b.latest.components === 1 ? "" : "s"} (
                {formatNumber(b.latest.withoutVersion)} without a version, {formatNumber(b.latest.withoutLicence)}{" "}
                without a licence) ·{" "}
                {b.latest.scanned ? (
                  <>
                    vulnerabilities: <strong>{formatNumber(b.latest.counts.critical)} critical</strong>,{" "}
                    <strong>{formatNumber(b.latest.counts.high)} high</strong>, {formatNumber(b.latest.counts.medium)}{" "}
                    medium, {formatNumber(b.latest.counts.low)} low
                    {b.latest.counts.other > 0 ? `, ${formatNumber(b.latest.counts.other)} other` : ""}
                  </>
                ) : (
                  <span data-testid="sbom-not-scanned">
                    no vulnerability analysis in this SBOM (no scanner&rsquo;s results): its vulnerabilities are
                    unknown, not zero
                  </span>
                )}
              </p>
            ) : null}
            <ArtefactChecks checks={b.checks} />
            {b.latest ? (
              <>
                {b.latest.scanned ? (
                  <>
                    <ChangesNote changes={b.changes} now={now} />
                    <FindingsTable
                      findings={b.findings}
                      caption={`Vulnerabilities in ${b.project}'s latest SBOM, most severe first`}
                      columns={{ rule: "Vulnerability", object: "Components", location: "Fix" }}
                    />
                  </>
                ) : null}
                {b.latest.missing.length > 0 ? (
                  <details className="text-sm">
                    <summary className="cursor-pointer">
                      Components without a version or licence (
                      {formatNumber(b.latest.withoutVersion + b.latest.withoutLicence)} gaps)
                    </summary>
                    <ul className="mt-1 list-disc pl-5 font-mono text-xs">
                      {b.latest.missing.map((m, j) => (
                        <li key={`${m.name}-${j}`} className="break-all">
                          {m.name}
                          {m.version ? `@${m.version}` : " (no version)"}
                          {m.licence ? ` ${m.licence}` : " (no licence)"}
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
              </>
            ) : null}
          </article>
        ))}
      </Section>
    </div>
  );
}

export default withDatabasePage(SecurityPage);
