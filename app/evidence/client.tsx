"use client";

import { formatBytes } from "@/lib/format";
import { startTransition, useActionState, useEffect, useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from "react";
import { attestAction, recordChaosAction, uploadJUnitAction, uploadK6Action, type TUploadState } from "./actions";

// The four upload forms. Each submits through its server action without React's automatic form reset, so what
// was typed (the file included) stays in place after an error; after a success the form clears.

type TAction = (previous: TUploadState, form: FormData) => Promise<TUploadState>;

const IDLE: TUploadState = { status: "idle" };

const input =
  "w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950";
const button = "rounded bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-50 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-slate-300";


/** A datetime-local value ("2026-05-03T10:14") read in the viewer's time zone, as the ISO time the server expects. */
function localToIso(value: FormDataEntryValue | null): string {
  if (typeof value !== "string" || value === "") return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function useUploadForm(action: TAction, ref: RefObject<HTMLFormElement | null>, options: { isoFields?: string[]; maxBytes?: number } = {}) {
  const [state, dispatch, pending] = useActionState(action, IDLE);
  const [fileError, setFileError] = useState<string | null>(null);

  useEffect(() => {
    const form = ref.current;
    if (state.status !== "ok" || !form) return;
    form.reset();
  }, [state, ref]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const file = data.get("file");
    if (options.maxBytes !== undefined && file instanceof File && file.size > options.maxBytes) {
      setFileError(`${file.name} is ${formatBytes(file.size)}, larger than the ${formatBytes(options.maxBytes)} limit`);
      return;
    }
    setFileError(null);
    for (const name of options.isoFields ?? []) data.set(name, localToIso(data.get(`${name}Local`)));
    startTransition(() => dispatch(data));
  };

  const errors = (field: string): string[] => {
    if (field === "file" && fileError) return [fileError];
    return state.status === "error" ? (state.fieldErrors[field] ?? []) : [];
  };
  return { state, pending, onSubmit, errors, fileError };
}

function Field({ label, hint, errors, children }: { label: string; hint?: ReactNode; errors: string[]; children: (props: { id: string; "aria-describedby": string | undefined; "aria-invalid": boolean }) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length > 0 ? `${id}-error` : undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children({ id, "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined, "aria-invalid": errors.length > 0 })}
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600 dark:text-slate-300">
          {hint}
        </p>
      ) : null}
      {errors.length > 0 ? (
        <p id={errorId} className="text-xs font-medium text-red-700 dark:text-red-300">
          {errors.join("; ")}
        </p>
      ) : null}
    </div>
  );
}

function Outcome({ state, fileError }: { state: TUploadState; fileError: string | null }) {
  if (fileError) {
    return (
      <p role="alert" className="rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100">
        Not uploaded: {fileError}. Nothing was stored.
      </p>
    );
  }
  if (state.status === "error") {
    return (
      <p role="alert" className="rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100" data-testid="upload-error">
        Not stored: {state.error}
      </p>
    );
  }
  if (state.status === "ok") {
    return (
      <p role="status" className="rounded border border-emerald-400 bg-emerald-50 px-3 py-2 text-sm text-emerald-950 dark:bg-emerald-950 dark:text-emerald-100" data-testid="upload-ok">
        <span aria-hidden="true">✓ </span>
        {state.message} {state.readiness}
      </p>
    );
  }
  return null;
}

function FormCard({ title, description, children }: { title: string; description: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <div>
        <h3 id={id} className="font-semibold">
          {title}
        </h3>
        <p className="text-xs text-slate-600 dark:text-slate-300">{description}</p>
      </div>
      {children}
    </section>
  );
}

export type TEvidenceFormsProps = {
  maxUploadBytes: number;
  suiteKinds: readonly string[];
  suites: string[];
  loadTests: string[];
  experiments: string[];
  components: { id: string; name: string }[];
  attestationChecks: { id: string; name: string; question: string; maxAge: string | null; critical: boolean }[];
};

export function JUnitForm({ maxUploadBytes, suiteKinds, suites }: Pick<TEvidenceFormsProps, "maxUploadBytes" | "suiteKinds" | "suites">) {
  const formRef = useRef<HTMLFormElement>(null);
  const f = useUploadForm(uploadJUnitAction, formRef, { maxBytes: maxUploadBytes });
  const listId = useId();
  return (
    <FormCard title="JUnit report" description="A test run's JUnit XML (pytest, Surefire, vitest, node): counted per suite and judged against the suite's pass-rate threshold.">
      <form ref={formRef} onSubmit={f.onSubmit} className="space-y-3" data-testid="junit-form">
        <Field label="Report file" hint={`JUnit XML, at most ${formatBytes(maxUploadBytes)}.`} errors={f.errors("file")}>
          {(props) => <input {...props} name="file" type="file" required accept=".xml,application/xml,text/xml" className="block w-full text-sm" />}
        </Field>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Suite name" hint={suites.length > 0 ? `The scorecard judges: ${suites.join(", ")}.` : undefined} errors={f.errors("suite")}>
            {(props) => (
              <>
                <input {...props} name="suite" required maxLength={100} list={listId} className={input} />
                <datalist id={listId}>
                  {suites.map((s) => (
                    <option key={s} value={s} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field label="Kind" errors={f.errors("kind")}>
            {(props) => (
              <select {...props} name="kind" required defaultValue="" className={input}>
                <option value="" disabled>
                  Choose a kind
                </option>
                {suiteKinds.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <button type="submit" disabled={f.pending} className={button}>
          {f.pending ? "Uploading…" : "Upload report"}
        </button>
        <Outcome state={f.state} fileError={f.fileError} />
      </form>
    </FormCard>
  );
}

export function K6Form({ maxUploadBytes, loadTests }: Pick<TEvidenceFormsProps, "maxUploadBytes" | "loadTests">) {
  const formRef = useRef<HTMLFormElement>(null);
  const f = useUploadForm(uploadK6Action, formRef, { maxBytes: maxUploadBytes });
  const listId = useId();
  return (
    <FormCard title="k6 summary" description="The JSON summary of a k6 run (handleSummary, --summary-export, or the machine-readable summary), judged by its own thresholds.">
      <form ref={formRef} onSubmit={f.onSubmit} className="space-y-3" data-testid="k6-form">
        <Field label="Summary file" hint={`JSON, at most ${formatBytes(maxUploadBytes)}.`} errors={f.errors("file")}>
          {(props) => <input {...props} name="file" type="file" required accept=".json,application/json" className="block w-full text-sm" />}
        </Field>
        <Field label="Test name" hint={loadTests.length > 0 ? `The scorecard judges: ${loadTests.join(", ")}.` : undefined} errors={f.errors("test")}>
          {(props) => (
            <>
              <input {...props} name="test" required maxLength={100} list={listId} className={input} />
              <datalist id={listId}>
                {loadTests.map((t) => (
                  <option key={t} value={t} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <button type="submit" disabled={f.pending} className={button}>
          {f.pending ? "Uploading…" : "Upload summary"}
        </button>
        <Outcome state={f.state} fileError={f.fileError} />
      </form>
    </FormCard>
  );
}

export function ChaosForm({ components, experiments }: Pick<TEvidenceFormsProps, "components" | "experiments">) {
  const formRef = useRef<HTMLFormElement>(null);
  const f = useUploadForm(recordChaosAction, formRef, { isoFields: ["startedAt", "endedAt"] });
  const listId = useId();
  return (
    <FormCard
      title="Chaos experiment"
      description="Which fault hit which component, and when. The recovery time is not typed in: it is measured from the component's probe history after the end you give."
    >
      <form ref={formRef} onSubmit={f.onSubmit} className="space-y-3" data-testid="chaos-form">
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Experiment name" hint={experiments.length > 0 ? `The scorecard judges: ${experiments.join(", ")}.` : undefined} errors={f.errors("name")}>
            {(props) => (
              <>
                <input {...props} name="name" required maxLength={200} list={listId} className={input} />
                <datalist id={listId}>
                  {experiments.map((e) => (
                    <option key={e} value={e} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <Field label="Fault" hint="What was done: pod-delete, container-stop, network-latency…" errors={f.errors("fault")}>
            {(props) => <input {...props} name="fault" required maxLength={200} className={input} />}
          </Field>
        </div>
        <Field label="Target component" errors={f.errors("target")}>
          {(props) => (
            <select {...props} name="target" required defaultValue="" className={input}>
              <option value="" disabled>
                Choose a component
              </option>
              {components.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.id})
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Fault started" hint="Your local time." errors={f.errors("startedAt")}>
            {(props) => <input {...props} name="startedAtLocal" type="datetime-local" step={1} required className={input} />}
          </Field>
          <Field label="Fault ended" hint="Your local time; recovery is measured from here." errors={f.errors("endedAt")}>
            {(props) => <input {...props} name="endedAtLocal" type="datetime-local" step={1} required className={input} />}
          </Field>
        </div>
        <button type="submit" disabled={f.pending} className={button}>
          {f.pending ? "Recording…" : "Record experiment"}
        </button>
        <Outcome state={f.state} fileError={null} />
      </form>
    </FormCard>
  );
}

export function AttestationForm({ checks }: { checks: TEvidenceFormsProps["attestationChecks"] }) {
  const formRef = useRef<HTMLFormElement>(null);
  const f = useUploadForm(attestAction, formRef, { isoFields: ["expiresAt"] });
  const [selected, setSelected] = useState("");
  const check = checks.find((c) => c.id === selected);
  const answerErrors = f.errors("answer");
  if (checks.length === 0) {
    return (
      <FormCard title="Attestation" description="A person's answer to a check no probe can make.">
        <p className="text-sm">The scorecard has no attestation checks to answer.</p>
      </FormCard>
    );
  }
  return (
    <FormCard title="Attestation" description="A person's answer to a check no probe can make, with the link that backs it and the date after which it no longer counts.">
      <form ref={formRef} onSubmit={f.onSubmit} onReset={() => setSelected("")} className="space-y-3" data-testid="attestation-form">
        <Field
          label="Check"
          hint={check ? <>Question: {check.question}{check.maxAge ? ` The scorecard counts an answer for at most ${check.maxAge}.` : ""}</> : undefined}
          errors={f.errors("check")}
        >
          {(props) => (
            <select {...props} name="check" required defaultValue="" onChange={(e) => setSelected(e.target.value)} className={input}>
              <option value="" disabled>
                Choose a check
              </option>
              {checks.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.critical ? " (critical)" : ""}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="space-y-1" aria-describedby={answerErrors.length > 0 ? "answer-error" : undefined}>
          <legend className="text-sm font-medium">Answer</legend>
          <div className="flex gap-4 text-sm">
            <label className="flex items-center gap-1">
              <input type="radio" name="answer" value="yes" required /> Yes
            </label>
            <label className="flex items-center gap-1">
              <input type="radio" name="answer" value="no" /> No
            </label>
          </div>
          {answerErrors.length > 0 ? (
            <p id="answer-error" className="text-xs font-medium text-red-700 dark:text-red-300">
              {answerErrors.join("; ")}
            </p>
          ) : null}
        </fieldset>
        <Field label="Evidence URL" hint="An http or https link to what backs the answer: a report, a ticket, a pipeline run." errors={f.errors("evidenceUrl")}>
          {(props) => <input {...props} name="evidenceUrl" type="url" required maxLength={2000} placeholder="https://" className={input} />}
        </Field>
        <Field label="Comment" hint="Optional, at most 2000 characters." errors={f.errors("comment")}>
          {(props) => <textarea {...props} name="comment" rows={2} maxLength={2000} className={input} />}
        </Field>
        <Field label="Expires at" hint="Your local time; after it the answer no longer counts and the check is pending again." errors={f.errors("expiresAt")}>
          {(props) => <input {...props} name="expiresAtLocal" type="datetime-local" required className={input} />}
        </Field>
        <button type="submit" disabled={f.pending} className={button}>
          {f.pending ? "Saving…" : "Save attestation"}
        </button>
        <Outcome state={f.state} fileError={null} />
      </form>
    </FormCard>
  );
}
