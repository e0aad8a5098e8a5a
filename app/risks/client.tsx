"use client";

import { IMPACT_LABELS, PROBABILITY_LABELS } from "@/lib/config/plan-schema";
import { RISK_STATUS_LABELS, RISK_STATUSES } from "@/lib/services/plan/schema";
import { DeleteButton, EditDisclosure, PlanForm } from "@/components/plan/plan-form";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { deleteRiskAction, saveRiskAction } from "./actions";

// The risks page's forms, rendered for editors only: add a risk, change or delete one.

export type TEditableRisk = {
  id: string;
  title: string;
  area: string;
  probability: number;
  impact: number;
  mitigation: string;
  owner: string;
  status: string;
};

const scale = (labels: readonly string[]) => labels.map((label, i) => [String(i + 1), `${i + 1} · ${label}`] as const);
const PROBABILITY_OPTIONS = scale(PROBABILITY_LABELS);
const IMPACT_OPTIONS = scale(IMPACT_LABELS);
const STATUS_OPTIONS = RISK_STATUSES.map((s) => [s, RISK_STATUS_LABELS[s]] as const);

export function RiskForm({ risk }: { risk?: TEditableRisk }) {
  return (
    <PlanForm
      action={saveRiskAction}
      version={risk ? JSON.stringify(risk) : undefined}
      submit={risk ? "Save risk" : "Add risk"}
      testId={risk ? `edit-risk-${risk.id}` : "add-risk"}
    >
      {(errors) => (
        <>
          {risk ? <input type="hidden" name="id" value={risk.id} /> : null}
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField
              name="title"
              label="Risk"
              defaultValue={risk?.title}
              required
              error={errors("title")}
              className="sm:col-span-2"
            />
            <TextField
              name="area"
              label="Area"
              defaultValue={risk?.area ?? "operational"}
              hint="For instance deployment or operational."
              required
              error={errors("area")}
            />
            <TextField name="owner" label="Owner" defaultValue={risk?.owner} error={errors("owner")} />
            <SelectField
              name="probability"
              label="Probability"
              defaultValue={String(risk?.probability ?? 3)}
              options={PROBABILITY_OPTIONS}
              error={errors("probability")}
            />
            <SelectField
              name="impact"
              label="Impact"
              defaultValue={String(risk?.impact ?? 3)}
              options={IMPACT_OPTIONS}
              error={errors("impact")}
            />
            <SelectField
              name="status"
              label="Status"
              defaultValue={risk?.status ?? "open"}
              options={STATUS_OPTIONS}
              error={errors("status")}
            />
          </div>
          <TextAreaField
            name="mitigation"
            label="Mitigation"
            defaultValue={risk?.mitigation}
            error={errors("mitigation")}
          />
        </>
      )}
    </PlanForm>
  );
}

export function RiskEditing({ risk }: { risk: TEditableRisk }) {
  return (
    <div className="flex flex-wrap items-start gap-3">
      <EditDisclosure label={risk.title}>
        <div className="w-80">
          <RiskForm risk={risk} />
        </div>
      </EditDisclosure>
      <DeleteButton action={deleteRiskAction} id={risk.id} what={`the risk “${risk.title}”`} />
    </div>
  );
}
