import type { Metadata } from "next";
import { connection } from "next/server";
import { muted, onMatrix, RiskMatrix, RiskRegister } from "@/components/risks/risk-parts";
import { withDatabasePage } from "@/components/outage/with-database";
import { Card, Section } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { getPlan, type TRiskView } from "@/lib/queries/plan";
import { RiskForm } from "./client";

export const metadata: Metadata = { title: "Risks" };

/** Reference section 9: the risks on a 5 x 5 probability x impact matrix, and the register behind it. */
async function RisksPage() {
  await connection();
  const actor = await requireUser();
  const { risks } = await getPlan(getPrisma());
  const editor = can(actor.role, "plan:edit");
  const placed = risks.filter(onMatrix);
  const count = (level: TRiskView["level"]) => placed.filter((r) => r.level === level).length;

  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold tracking-tight">Risks</h1>
        <p className={`text-sm ${muted}`}>
          Each risk scores probability × impact, 1 to 25: low up to 4, medium up to 12, high above. Open and accepted
          risks are placed on the matrix; mitigated and closed ones stay in the register below.
        </p>
        <p className="text-sm" data-testid="risk-summary">
          On the matrix: {placed.length} risk{placed.length === 1 ? "" : "s"}, {count("high")} high, {count("medium")}{" "}
          medium, {count("low")} low.
        </p>
      </div>

      <Section id="matrix" title="Probability × impact" className="space-y-2">
        <RiskMatrix risks={placed} />
      </Section>

      <Section id="register" title={`Risk register (${risks.length})`} className="space-y-3">
        <RiskRegister risks={risks} editor={editor} />
      </Section>

      {editor ? (
        <Card id="add-risk" title="Add a risk">
          <RiskForm />
        </Card>
      ) : null}
    </div>
  );
}

export default withDatabasePage(RisksPage);
