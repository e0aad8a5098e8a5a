import type { PrismaClient } from "../generated/prisma/client";
import { getPool, getPrisma } from "./client";

// Whether this process's database answers, asked with a bounded `SELECT 1`. Pages, route handlers and the health
// API ask here after something failed (and at once while an outage is known), so that a database that does not
// answer reads as "Preflight's database is unreachable" within seconds, never as a framework error or a page that
// hangs. One verdict per process, shared by every request: while the database is down, a burst of requests costs
// one ping a second, not one failed query each.

/** A ping that has not answered by then counts as no answer (a blackholed host would otherwise hold a page for the pool's connect timeout). */
export const PING_TIMEOUT_MS = 2_000;
/** How long one verdict stands before the next request asks again. */
const VERDICT_TTL_MS = 1_000;
/** What a client should wait before asking again, in seconds (Retry-After). */
export const DATABASE_RETRY_AFTER_S = 5;

export type TDatabaseOutage = {
  /** When this process first saw the database not answer (ISO). */
  since: string;
  /** The driver's one-line reason: "connect ECONNREFUSED 127.0.0.1:5432", "no answer within 2 s". */
  error: string;
  /** When the database last answered this process (ISO), or null when it never did. */
  lastOkAt: string | null;
};

export type TPing = { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string };

type TState = {
  lastOkAt: number | null;
  down: { since: number; error: string } | null;
  verdictAt: number;
  asking: Promise<TPing> | null;
};

const globalForOutage = globalThis as unknown as { preflightDatabaseState?: WeakMap<PrismaClient, TState> };

function stateOf(prisma: PrismaClient): TState {
  globalForOutage.preflightDatabaseState ??= new WeakMap();
  let state = globalForOutage.preflightDatabaseState.get(prisma);
  if (!state) {
    state = { lastOkAt: null, down: null, verdictAt: Number.NEGATIVE_INFINITY, asking: null };
    globalForOutage.preflightDatabaseState.set(prisma, state);
  }
  return state;
}

/** The driver's reason in one line; a refused connection to a name with several addresses is an AggregateError with no message. */
function reasonOf(error: unknown): string {
  const e = error as (Error & { code?: string; errors?: unknown[] }) | undefined;
  const line = e?.message?.split("\n")[0]?.trim();
  if (line) return line;
  if (Array.isArray(e?.errors) && e.errors.length > 0) return reasonOf(e.errors[0]);
  return e?.code ?? "no reason given";
}

/** One `SELECT 1`, answered or not within `timeoutMs`; never throws. */
export async function pingDatabase(prisma: PrismaClient = getPrisma(), timeoutMs = PING_TIMEOUT_MS): Promise<TPing> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    timer.unref?.();
  });
  try {
    // Straight through the pool when there is one: the driver's own reason ("connect ECONNREFUSED …"), not Prisma's wrapping.
    const pool = getPool(prisma);
    await Promise.race([pool ? pool.query("SELECT 1") : prisma.$queryRaw`SELECT 1`, timeout]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: reasonOf(error) };
  } finally {
    clearTimeout(timer);
  }
}

function record(state: TState, ping: TPing, at: number): void {
  state.verdictAt = at;
  if (ping.ok) {
    state.lastOkAt = at;
    state.down = null;
  } else {
    state.down = { since: state.down?.since ?? at, error: ping.error };
  }
}

function view(state: TState): TDatabaseOutage | null {
  if (!state.down) return null;
  return {
    since: new Date(state.down.since).toISOString(),
    error: state.down.error,
    lastOkAt: state.lastOkAt === null ? null : new Date(state.lastOkAt).toISOString(),
  };
}

/**
 * Asks the database now (one ping shared by concurrent callers, reused for a second) and returns the outage, or
 * null when it answered. For after a failure: "was that the database being down, or a bug?". `fresh` always asks
 * (the health API, which reports the latency).
 */
export async function checkDatabase(
  prisma: PrismaClient = getPrisma(),
  now = Date.now(),
  options: { fresh?: boolean; afterFailure?: boolean } = {},
): Promise<{ ping: TPing; outage: TDatabaseOutage | null }> {
  const state = stateOf(prisma);
  // After a failure, a recent "it answers" is no answer: the database may have gone since (the failure says it may).
  const reusable =
    !options.fresh &&
    state.asking === null &&
    now - state.verdictAt < VERDICT_TTL_MS &&
    !(options.afterFailure && !state.down);
  if (reusable) {
    return {
      ping: state.down ? { ok: false, latencyMs: 0, error: state.down.error } : { ok: true, latencyMs: 0 },
      outage: view(state),
    };
  }
  state.asking ??= pingDatabase(prisma)
    .then((ping) => {
      record(state, ping, Date.now());
      return ping;
    })
    .finally(() => {
      state.asking = null;
    });
  const ping = await state.asking;
  return { ping, outage: view(state) };
}

/** The outage, confirmed by a ping, or null. */
export async function confirmDatabaseOutage(prisma: PrismaClient = getPrisma()): Promise<TDatabaseOutage | null> {
  return (await checkDatabase(prisma)).outage;
}

/**
 * After a query failed: was it the database? Asks it again unless it is already known to be down: a verdict of
 * "it answers" from a moment ago does not count, or a database that went in that moment would read as a bug (the
 * framework's error page) instead of an outage.
 */
export async function explainFailure(prisma: PrismaClient = getPrisma()): Promise<TDatabaseOutage | null> {
  return (await checkDatabase(prisma, Date.now(), { afterFailure: true })).outage;
}

/**
 * While this process knows its database to be down, whether it still is (asked again at most once a second);
 * null at once, with no query, when the last verdict was that it answers. Lets a page or an API answer "unreachable"
 * without first running queries that can only fail.
 */
export async function knownDatabaseOutage(prisma: PrismaClient = getPrisma()): Promise<TDatabaseOutage | null> {
  if (!stateOf(prisma).down) return null;
  return confirmDatabaseOutage(prisma);
}

/** "Preflight's database is unreachable: connect ECONNREFUSED 127.0.0.1:5432", the one sentence every API answers with. */
export function describeDatabaseOutage(outage: Pick<TDatabaseOutage, "error">): string {
  return `Preflight's database is unreachable: ${outage.error}`;
}
