import {
  Children,
  cloneElement,
  isValidElement,
  useId,
  type InputHTMLAttributes,
  type ReactElement,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

// A labelled form control with its hint and errors tied to it (aria-describedby, aria-invalid), and the one input
// and button class strings. Works in server and client components alike.

export const INPUT =
  "w-full min-w-0 rounded border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950";
export const BUTTON = {
  primary:
    "rounded bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-50 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-slate-300",
  secondary:
    "rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800",
  /** A destructive action's outline button (Delete). */
  danger:
    "rounded border border-red-400 px-2 py-1 text-xs font-medium text-red-800 hover:bg-red-50 disabled:opacity-50 dark:text-red-300 dark:hover:bg-red-950",
  /** The confirmed destructive action (Yes, revoke). */
  dangerSolid: "rounded bg-red-700 px-2 py-1 text-xs font-semibold text-white hover:bg-red-800 disabled:opacity-50",
} as const;
/** A form's error box and its ok line. */
export const ALERT =
  "rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100";
export const OK = "text-sm text-emerald-800 dark:text-emerald-300";
export const HINT = "text-xs text-slate-600 dark:text-slate-300";
export const ERROR_TEXT = "text-xs font-medium text-red-700 dark:text-red-300";

export const errorList = (error: string[] | string | undefined): string[] =>
  error === undefined ? [] : typeof error === "string" ? (error ? [error] : []) : error;

/** The props a control gets from its Field. */
export type TControlProps = { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string; required?: boolean };

export function FieldErrors({ id, error }: { id?: string; error: string[] | string | undefined }) {
  const errors = errorList(error);
  if (errors.length === 0) return null;
  return (
    <p id={id} className={ERROR_TEXT}>
      {errors.join("; ")}
    </p>
  );
}

type TFieldProps = {
  label: ReactNode;
  /** The control's id; generated when absent. */
  id?: string;
  htmlFor?: string;
  hint?: ReactNode;
  error?: string[] | string;
  required?: boolean;
  className?: string;
  /** One control element (it is given id, aria-invalid, aria-describedby), or a render prop taking those props. */
  children: ReactElement | ((props: TControlProps) => ReactNode);
};

export function Field({ label, id, htmlFor, hint, error, required, className, children }: TFieldProps) {
  const generated = useId();
  const controlId = id ?? htmlFor ?? generated;
  const errors = errorList(error);
  const describedBy =
    [hint ? `${controlId}-hint` : "", errors.length > 0 ? `${controlId}-error` : ""].filter(Boolean).join(" ") ||
    undefined;
  const props: TControlProps = {
    id: controlId,
    "aria-invalid": errors.length > 0,
    "aria-describedby": describedBy,
    ...(required ? { required: true } : {}),
  };
  const control =
    typeof children === "function"
      ? children(props)
      : isValidElement(children)
        ? cloneElement(Children.only(children) as ReactElement<TControlProps>, props)
        : children;
  return (
    <div className={`min-w-0 space-y-1 ${className ?? ""}`.trim()}>
      <label htmlFor={controlId} className="block text-sm font-medium">
        {label}
      </label>
      {control}
      {hint ? (
        <p id={`${controlId}-hint`} className={HINT}>
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${controlId}-error`} error={errors} />
    </div>
  );
}

/** Thin wrappers carrying the one input class string; `className` is added to it. */
export function TextInput({ className, type = "text", ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input type={type} {...props} className={`${INPUT} ${className ?? ""}`.trim()} />;
}

export function TextArea({ className, rows = 2, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea rows={rows} {...props} className={`${INPUT} ${className ?? ""}`.trim()} />;
}

export type TOption = readonly [value: string, label: string];

export function Select({
  className,
  options,
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { options?: readonly TOption[] }) {
  return (
    <select {...props} className={`${INPUT} ${className ?? ""}`.trim()}>
      {options?.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
      {children}
    </select>
  );
}

// Field and control in one, for the common case.

type TShortcut = {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string[] | string;
  required?: boolean;
  className?: string;
};

export function TextField({
  name,
  label,
  hint,
  error,
  required,
  className,
  defaultValue,
  ...input
}: TShortcut &
  Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "defaultValue" | "className"> & {
    defaultValue?: string | number | null;
  }) {
  return (
    <Field label={label} hint={hint} error={error} required={required} className={className}>
      <TextInput
        name={name}
        defaultValue={defaultValue ?? ""}
        step={input.type === "number" ? "any" : undefined}
        {...input}
      />
    </Field>
  );
}

export function TextAreaField({
  name,
  label,
  hint,
  error,
  required,
  className,
  defaultValue,
  ...textarea
}: TShortcut &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "defaultValue" | "className"> & {
    defaultValue?: string | null;
  }) {
  return (
    <Field label={label} hint={hint} error={error} required={required} className={className}>
      <TextArea name={name} defaultValue={defaultValue ?? ""} {...textarea} />
    </Field>
  );
}

export function SelectField({
  name,
  label,
  hint,
  error,
  required,
  className,
  options,
  ...select
}: TShortcut & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name" | "className"> & { options: readonly TOption[] }) {
  return (
    <Field label={label} hint={hint} error={error} required={required} className={className}>
      <Select name={name} options={options} {...select} />
    </Field>
  );
}

/** A checkbox after a hidden "off" of the same name: the action tells unticked (false) from a form without the box. */
export function CheckboxField({
  name,
  label,
  defaultChecked,
  error,
  id,
}: {
  name: string;
  label: ReactNode;
  defaultChecked?: boolean;
  error?: string[] | string;
  id?: string;
}) {
  const generated = useId();
  const controlId = id ?? generated;
  const errors = errorList(error);
  return (
    <div className="space-y-1">
      <input type="hidden" name={name} value="off" />
      <label htmlFor={controlId} className="flex items-center gap-1.5 text-sm font-medium">
        <input
          id={controlId}
          type="checkbox"
          name={name}
          defaultChecked={defaultChecked}
          aria-invalid={errors.length > 0}
          aria-describedby={errors.length > 0 ? `${controlId}-error` : undefined}
        />
        {label}
      </label>
      <FieldErrors id={`${controlId}-error`} error={errors} />
    </div>
  );
}
