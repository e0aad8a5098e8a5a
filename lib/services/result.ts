import type { z } from "zod";

// What every service answers: the value, or a refusal that already says everything a caller needs: the HTTP status
// for a route, the message for a person, and which form field each problem belongs to. A caller never derives a
// status or a field from the wording of a message: wording changes, and a renamed message must not move an error
// to another field or turn a 409 into a 400.

export type TFieldErrors = Record<string, string[]>;

/** 400: not readable at all (bad JSON, not XML, not UTF-8). 422: readable, but a value is wrong. */
export type TFailureStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export type TFailure = { ok: false; status: TFailureStatus; message: string; fieldErrors: TFieldErrors };
export type TResult<T> = { ok: true; value: T } | TFailure;

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** A refusal; `field` files the message under that form field (and the API's `fields`). */
export function fail(status: TFailureStatus, message: string, field?: string): TFailure {
  return { ok: false, status, message, fieldErrors: field === undefined ? {} : { [field]: [message] } };
}

/** A refusal with a message per field; the summary message lists them all. */
export function failFields(status: TFailureStatus, fieldErrors: TFieldErrors, summary?: string): TFailure {
  return { ok: false, status, message: summary ?? describeFieldErrors(fieldErrors), fieldErrors };
}

export function describeFieldErrors(errors: TFieldErrors): string {
  return Object.entries(errors)
    .map(([field, messages]) => `${field}: ${messages.join("; ")}`)
    .join("; ");
}

/** Zod issues by their top-level field, for forms whose fields are flat. */
export function zodFieldErrors(error: z.ZodError): TFieldErrors {
  const out: TFieldErrors = {};
  for (const issue of error.issues)
    (out[String(issue.path[0] ?? "form")] ??= []).push(issue.message.replace(/^Invalid input: /, ""));
  return out;
}

/** A refusal carried through code that throws (a store called inside a transaction): the service catches it. */
export class ServiceError extends Error {
  readonly failure: TFailure;
  constructor(failure: TFailure) {
    super(failure.message);
    this.name = "ServiceError";
    this.failure = failure;
  }
}

/** The JSON body of a refused API request: `error` always, `fields` when the refusal names fields. */
export function failureBody(failure: TFailure): { error: string; fields?: TFieldErrors } {
  return Object.keys(failure.fieldErrors).length > 0
    ? { error: failure.message, fields: failure.fieldErrors }
    : { error: failure.message };
}
