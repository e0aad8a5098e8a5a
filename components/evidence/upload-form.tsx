"use client";

import type { ReactNode } from "react";
import type { TUploadState } from "@/app/evidence/actions";
import { ActionForm, type TFieldErrors } from "@/components/ui/action-form";
import { Card } from "@/components/ui/card";
import { TextInput, type TControlProps } from "@/components/ui/field";
import { formatBytes } from "@/lib/format";

// What the evidence page's four upload forms share. Each submits through its server action without React's
// automatic form reset, so what was typed (the file included) stays in place after an error; after a success the
// form clears.

type TAction = (previous: TUploadState, form: FormData) => Promise<TUploadState>;

const IDLE: TUploadState = { status: "idle" };
const OK_BOX =
  "rounded border border-emerald-400 bg-emerald-50 px-3 py-2 text-sm text-emerald-950 dark:bg-emerald-950 dark:text-emerald-100";

/** A datetime-local value ("2026-05-03T10:14") read in the viewer's time zone, as the ISO time the server expects. */
function localToIso(value: FormDataEntryValue | null): string {
  if (typeof value !== "string" || value === "") return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** Checks the file's size before sending it and turns local times into ISO ones. */
export const prepareUpload =
  (options: { isoFields?: string[]; maxBytes?: number }) =>
  (data: FormData): { alert: ReactNode; fieldErrors: Record<string, string[]> } | null => {
    const file = data.get("file");
    if (options.maxBytes !== undefined && file instanceof File && file.size > options.maxBytes) {
      const error = `${file.name} is ${formatBytes(file.size)}, larger than the ${formatBytes(options.maxBytes)} limit`;
      return { alert: <>Not uploaded: {error}. Nothing was stored.</>, fieldErrors: { file: [error] } };
    }
    for (const name of options.isoFields ?? []) data.set(name, localToIso(data.get(`${name}Local`)));
    return null;
  };

/** One upload form: the kit's ActionForm, cleared after a success, with the upload test ids. */
export function UploadForm({
  action,
  testId,
  submit,
  pendingLabel,
  prepare,
  onReset,
  children,
}: {
  action: TAction;
  testId: string;
  submit: string;
  pendingLabel: string;
  prepare?: (data: FormData) => { alert: ReactNode } | null;
  onReset?: () => void;
  children: (errors: TFieldErrors) => ReactNode;
}) {
  return (
    <ActionForm
      action={action}
      initialState={IDLE}
      submit={submit}
      pendingLabel={pendingLabel}
      testId={testId}
      resetOnSuccess
      prepare={prepare}
      onReset={onReset}
      errorPrefix="Not stored: "
      errorTestId="upload-error"
      okTestId="upload-ok"
      okClassName={OK_BOX}
      okMessage={(state) => `${state.message} ${state.readiness ?? ""}`}
    >
      {(_state, _pending, errors) => children(errors)}
    </ActionForm>
  );
}

export function FormCard({
  title,
  description,
  children,
}: {
  title: string;
  description: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card title={title} headingLevel={3}>
      <p className="text-xs text-slate-600 dark:text-slate-300">{description}</p>
      {children}
    </Card>
  );
}

/** A text input with a datalist of the names the scorecard judges. */
export function Suggested({
  listId,
  names,
  ...props
}: TControlProps & { listId: string; names: string[]; name: string; maxLength: number }) {
  return (
    <>
      <TextInput {...props} required list={listId} />
      <datalist id={listId}>
        {names.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
    </>
  );
}
