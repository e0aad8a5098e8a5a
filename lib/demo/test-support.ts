// Helpers shared by the demo stack's tests (not used at runtime).
import type { DemoStack } from "./stack.js";
import type { DemoServiceId } from "./types.js";

export function findService(stack: DemoStack, id: DemoServiceId): { port: number; url: string } {
  const service = stack.services.find((candidate) => candidate.id === id);
  if (service === undefined) throw new Error(`stack has no ${id}`);
  return service;
}

/** The low-level error code behind a rejected client call, e.g. fetch's TypeError wraps it in `cause`. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const direct = (err as { code?: unknown }).code;
  if (typeof direct === "string") return direct;
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined) return errorCode(cause);
  const nested = (err as { errors?: unknown }).errors;
  return Array.isArray(nested) ? nested.map(errorCode).find((code) => code !== undefined) : undefined;
}

export async function captureError(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

export async function timeCall<T>(work: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const started = performance.now();
  const result = await work();
  return { result, elapsedMs: performance.now() - started };
}
