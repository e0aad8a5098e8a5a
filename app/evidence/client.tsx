"use client";

import { useId, useState } from "react";
import { FormCard, prepareUpload, Suggested, UploadForm } from "@/components/evidence/upload-form";
import { ERROR_TEXT, Field, Select, TextArea, TextInput } from "@/components/ui/field";
import { formatBytes } from "@/lib/format";
import { attestAction, recordChaosAction, uploadJUnitAction, uploadK6Action } from "./actions";

// The four upload forms. Each submits through its server action without React's automatic form reset, so what
// was typed (the file included) stays in place after an error; after a success the form clears.

export type TEvidenceFormsProps = {
  maxUploadBytes: number;
  suiteKinds: readonly string[];
  suites: string[];
  loadTests: string[];
  experiments: string[];
  components: { id: string; name: string }[];
  attestationChecks: { id: string; name: string; question: string; maxAge: string | null; critical: boolean }[];
};

export function JUnitForm({
  maxUploadBytes,
  suiteKinds,
  suites,
}: Pick<TEvidenceFormsProps, "maxUploadBytes" | "suiteKinds" | "suites">) {
  const listId = useId();
  return (
    <FormCard
      title="JUnit report"
      description="A test run's JUnit XML (pytest, Surefire, vitest, node): counted per suite and judged against the suite's pass-rate threshold."
    >
      <UploadForm
        action={uploadJUnitAction}
        testId="junit-form"
        submit="Upload report"
        pendingLabel="Uploading…"
        prepare={prepareUpload({ maxBytes: maxUploadBytes })}
      >
        {(errors) => (
          <>
            <Field
              label="Report file"
              hint={`JUnit XML, at most ${formatBytes(maxUploadBytes)}.`}
              error={errors("file")}
            >
              {(props) => (
                <input
                  {...props}
                  name="file"
                  type="file"
                  required
                  accept=".xml,application/xml,text/xml"
                  className="block w-full min-w-0 text-sm"
                />
              )}
            </Field>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field
                label="Suite name"
                hint={suites.length > 0 ? `The scorecard judges: ${suites.join(", ")}.` : undefined}
                error={errors("suite")}
              >
                {(props) => <Suggested {...props} name="suite" maxLength={100} listId={listId} names={suites} />}
              </Field>
              <Field label="Kind" error={errors("kind")}>
                {(props) => (
                  <Select {...props} name="kind" required defaultValue="">
                    <option value="" disabled>
                      Choose a kind
                    </option>
                    {suiteKinds.map((k) => (
                      <option key={k} value={k}>
                        {k}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            </div>
          </>
        )}
      </UploadForm>
    </FormCard>
  );
}

export function K6Form({ maxUploadBytes, loadTests }: Pick<TEvidenceFormsProps, "maxUploadBytes" | "loadTests">) {
  const listId = useId();
  return (
    <FormCard
      title="k6 summary"
      description="The JSON summary of a k6 run (handleSummary, --summary-export, or the machine-readable summary), judged by its own thresholds."
    >
      <UploadForm
        action={uploadK6Action}
        testId="k6-form"
        submit="Upload summary"
        pendingLabel="Uploading…"
        prepare={prepareUpload({ maxBytes: maxUploadBytes })}
      >
        {(errors) => (
          <>
            <Field label="Summary file" hint={`JSON, at most ${formatBytes(maxUploadBytes)}.`} error={errors("file")}>
              {(props) => (
                <input
                  {...props}
                  name="file"
                  type="file"
                  required
                  accept=".json,application/json"
                  className="block w-full min-w-0 text-sm"
                />
              )}
            </Field>
            <Field
              label="Test name"
              hint={loadTests.length > 0 ? `The scorecard judges: ${loadTests.join(", ")}.` : undefined}
              error={errors("test")}
            >
              {(props) => <Suggested {...props} name="test" maxLength={100} listId={listId} names={loadTests} />}
            </Field>
          </>
        )}
      </UploadForm>
    </FormCard>
  );
}

export function ChaosForm({ components, experiments }: Pick<TEvidenceFormsProps, "components" | "experiments">) {
  const listId = useId();
  return (
    <FormCard
      title="Chaos experiment"
      description="Which fault hit which component, and when. The recovery time is not typed in: it is measured from the component's probe history after the end you give."
    >
      <UploadForm
        action={recordChaosAction}
        testId="chaos-form"
        submit="Record experiment"
        pendingLabel="Recording…"
        prepare={prepareUpload({ isoFields: ["startedAt", "endedAt"] })}
      >
        {(errors) => (
          <>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field
                label="Experiment name"
                hint={experiments.length > 0 ? `The scorecard judges: ${experiments.join(", ")}.` : undefined}
                error={errors("name")}
              >
                {(props) => <Suggested {...props} name="name" maxLength={200} listId={listId} names={experiments} />}
              </Field>
              <Field
                label="Fault"
                hint="What was done: pod-delete, container-stop, network-latency…"
                error={errors("fault")}
              >
                {(props) => <TextInput {...props} name="fault" required maxLength={200} />}
              </Field>
            </div>
            <Field label="Target component" error={errors("target")}>
              {(props) => (
                <Select {...props} name="target" required defaultValue="">
                  <option value="" disabled>
                    Choose a component
                  </option>
                  {components.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name} ({c.id})
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label="Fault started" hint="Your local time." error={errors("startedAt")}>
                {(props) => <TextInput {...props} name="startedAtLocal" type="datetime-local" step={1} required />}
              </Field>
              <Field
                label="Fault ended"
                hint="Your local time; recovery is measured from here."
                error={errors("endedAt")}
              >
                {(props) => <TextInput {...props} name="endedAtLocal" type="datetime-local" step={1} required />}
              </Field>
            </div>
          </>
        )}
      </UploadForm>
    </FormCard>
  );
}

export function AttestationForm({ checks }: { checks: TEvidenceFormsProps["attestationChecks"] }) {
  const [selected, setSelected] = useState("");
  const check = checks.find((c) => c.id === selected);
  if (checks.length === 0) {
    return (
      <FormCard title="Attestation" description="A person's answer to a check no probe can make.">
        <p className="text-sm">The scorecard has no attestation checks to answer.</p>
      </FormCard>
    );
  }
  return (
    <FormCard
      title="Attestation"
      description="A person's answer to a check no probe can make, with the link that backs it and the date after which it no longer counts."
    >
      <UploadForm
        action={attestAction}
        testId="attestation-form"
        submit="Save attestation"
        pendingLabel="Saving…"
        prepare={prepareUpload({ isoFields: ["expiresAt"] })}
        onReset={() => setSelected("")}
      >
        {(errors) => (
          <>
            <Field
              label="Check"
              hint={
                check ? (
                  <>
                    Question: {check.question}
                    {check.maxAge ? ` The scorecard counts an answer for at most ${check.maxAge}.` : ""}
                  </>
                ) : undefined
              }
              error={errors("check")}
            >
              {(props) => (
                <Select {...props} name="check" required defaultValue="" onChange={(e) => setSelected(e.target.value)}>
                  <option value="" disabled>
                    Choose a check
                  </option>
                  {checks.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                      {c.critical ? " (critical)" : ""}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <fieldset className="space-y-1" aria-describedby={errors("answer").length > 0 ? "answer-error" : undefined}>
              <legend className="text-sm font-medium">Answer</legend>
              <div className="flex gap-4 text-sm">
                <label className="flex items-center gap-1">
                  <input type="radio" name="answer" value="yes" required /> Yes
                </label>
                <label className="flex items-center gap-1">
                  <input type="radio" name="answer" value="no" /> No
                </label>
              </div>
              {errors("answer").length > 0 ? (
                <p id="answer-error" className={ERROR_TEXT}>
                  {errors("answer").join("; ")}
                </p>
              ) : null}
            </fieldset>
            <Field
              label="Evidence URL"
              hint="An http or https link to what backs the answer: a report, a ticket, a pipeline run."
              error={errors("evidenceUrl")}
            >
              {(props) => (
                <TextInput {...props} name="evidenceUrl" type="url" required maxLength={2000} placeholder="https://" />
              )}
            </Field>
            <Field label="Comment" hint="Optional, at most 2000 characters." error={errors("comment")}>
              {(props) => <TextArea {...props} name="comment" rows={2} maxLength={2000} />}
            </Field>
            <Field
              label="Expires at"
              hint="Your local time; after it the answer no longer counts and the check is pending again."
              error={errors("expiresAt")}
            >
              {(props) => <TextInput {...props} name="expiresAtLocal" type="datetime-local" required />}
            </Field>
          </>
        )}
      </UploadForm>
    </FormCard>
  );
}
