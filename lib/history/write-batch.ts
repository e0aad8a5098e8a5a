import type { TWebhook } from "../config/operations-schema";
import { getPool } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import type { ComponentStatus, TrackedState } from "../monitor/status";
import { foldResults, type FoldedItem, type WriteItem } from "../worker/state-tracker";
import { dayStart, ensurePartitions, isMissingPartitionError } from "./partitions";

/** Runs one statement inside the batch's transaction; the rows it returns. */
type Exec = (sql: string, ...params: unknown[]) => Promise<Record<string, unknown>[]>;

export type WriteBatchOptions = {
  workerId: string;
  webhooks: TWebhook[];
  redact: (text: string) => string;
};

const iso = (d: Date) => d.toISOString();

type PeriodChange = { item: FoldedItem; closeAt: Date; gap: boolean };

/** Each component's state after a batch, for the pages' live updates. */
export type BatchStates = Map<string, TrackedState | null>;

/** Text as PostgreSQL can store it (no NUL, which text and jsonb refuse), without secrets, within a length. */
export function storableText(text: string | null, max: number, redact: (text: string) => string): string | null {
  return text === null ? null : redact(text.replaceAll("\u0000", "")).slice(0, max);
}

/** PostgreSQL's data exceptions (class 22) and constraint violations (23): the data, not the database. */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^2[23]/.test(code);
}

/** The webhook payload of a confirmed state change; texts redacted like everything stored. */
export function notificationPayload(folded: FoldedItem, redact: (text: string) => string = (t) => t) {
  const { item, transition } = folded;
  return {
    event: "component.state_changed",
    component: item.componentId,
    from: transition?.from ?? "unknown",
    to: transition?.to ?? folded.state.status,
    at: iso(transition?.at ?? item.checkedAt),
    checkedAt: iso(item.checkedAt),
    detail: storableText(item.outcome.detail, 200, redact),
    error: storableText(item.outcome.error, 1_000, redact),
  };
}

function wantsNotification(hook: TWebhook, folded: FoldedItem): boolean {
  const to = folded.transition?.to;
  if (!to) return false;
  if (hook.events && !hook.events.includes(to)) return false;
  return !hook.components || hook.components.includes(folded.item.componentId);
}

/**
 * Stores a batch of results in one transaction: raw rows, the minutes to roll up again, and, folded into each
 * component's state under its row lock (lib/worker/state-tracker.ts), the latest state, the confirmed status
 * periods and the webhook notifications (a transactional outbox, so a notification exists exactly when its state
 * change does). Bulk statements over unnest() keep a batch of thousands of results to a handful of round trips.
 */
export async function writeBatch(
  prisma: PrismaClient,
  items: WriteItem[],
  options: WriteBatchOptions,
): Promise<BatchStates> {
  if (items.length === 0) return new Map();
  try {
    return await inTransaction(prisma, (exec) => writeInTransaction(exec, items, options));
  } catch (error) {
    if (!isMissingPartitionError(error)) throw error;
    // A result for a day whose partition does not exist yet (a late flush, or a clock far ahead).
    const times = items.map((i) => i.checkedAt.getTime());
    await ensurePartitions(prisma, dayStart(Math.min(...times)), dayStart(Math.max(...times)));
    return await inTransaction(prisma, (exec) => writeInTransaction(exec, items, options));
  }
}

/**
 * The batch's transaction straight on the pool under the Prisma client when there is one (this path runs
 * several times a second; Prisma's per-statement overhead was a third of the worker's CPU), through Prisma
 * otherwise.
 */
async function inTransaction<T>(prisma: PrismaClient, work: (exec: Exec) => Promise<T>): Promise<T> {
  const pool = getPool(prisma);
  if (!pool) {
    return prisma.$transaction(
      (tx) => work((sql, ...params) => tx.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params)),
      {
        timeout: 60_000,
        maxWait: 30_000,
      },
    );
  }
  const client = await pool.connect();
  let broken = false;
  // A checked-out client has no error listener of the pool's: a connection lost mid-transaction would be an
  // uncaught exception. The failing query rejects anyway; the client is then destroyed, not reused.
  const onError = () => {
    broken = true;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await work(
      async (sql, ...params) => (await client.query<Record<string, unknown>>(sql, params)).rows,
    );
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}

type StateRow = {
  component_id: string;
  status: ComponentStatus;
  since: Date;
  observed_status: ComponentStatus;
  streak: number;
  streak_started_at: Date | null;
  consecutive_failures: number;
  last_checked_at: Date | null;
};

function toTrackedState(row: StateRow): TrackedState | null {
  // A row made just now to be locked: the component has no state yet.
  if (row.last_checked_at === null) return null;
  return {
    status: row.status,
    since: row.since,
    observedStatus: row.observed_status,
    streak: row.streak,
    streakStartedAt: row.streak_started_at,
    consecutiveFailures: row.consecutive_failures,
    lastCheckedAt: row.last_checked_at,
  };
}

/**
 * Takes the state row of every component in the batch (made when missing), in id order so that two batches never
 * wait on each other in a cycle, and holds it to the end of the transaction: a second worker's batch for the same
 * component waits here, then folds onto this one's state. Returns the states as stored.
 */
async function lockStates(tx: Exec, componentIds: string[]): Promise<Map<string, TrackedState | null>> {
  const rows = (await tx(
    `INSERT INTO "component_state" ("component_id", "since", "updated_at")
     SELECT c, now(), now() FROM unnest($1::text[]) AS x(c) ORDER BY c
     ON CONFLICT ("component_id") DO UPDATE SET "updated_at" = "component_state"."updated_at"
     RETURNING "component_id", "status"::text, "since", "observed_status"::text, "streak", "streak_started_at",
               "consecutive_failures", "last_checked_at"`,
    [...componentIds].sort(),
  )) as StateRow[];
  return new Map(rows.map((row) => [row.component_id, toTrackedState(row)]));
}

async function writeInTransaction(tx: Exec, items: WriteItem[], options: WriteBatchOptions): Promise<BatchStates> {
  const clip = (text: string | null, max: number) => storableText(text, max, options.redact);
  await tx(
    `INSERT INTO "probe_result" ("component_id", "checked_at", "ok", "status", "latency_ms", "detail", "error", "worker_id")
     SELECT c, t, o, s::"ComponentStatus", l, d, e, $8
     FROM unnest($1::text[], $2::timestamptz[], $3::boolean[], $4::text[], $5::float8[], $6::text[], $7::text[]) AS x(c, t, o, s, l, d, e)
     ON CONFLICT ("component_id", "checked_at") DO NOTHING`,
    items.map((i) => i.componentId),
    items.map((i) => iso(i.checkedAt)),
    items.map((i) => i.outcome.ok),
    items.map((i) => i.observed),
    items.map((i) => i.outcome.latencyMs),
    items.map((i) => clip(i.outcome.detail, 200)),
    items.map((i) => clip(i.outcome.error, 1_000)),
    options.workerId,
  );

  const byComponent = new Map<string, WriteItem[]>();
  for (const item of items) {
    const list = byComponent.get(item.componentId);
    if (list) list.push(item);
    else byComponent.set(item.componentId, [item]);
  }
  const stored = await lockStates(tx, [...byComponent.keys()]);

  // DO UPDATE rather than DO NOTHING: it locks an existing mark, so a rollup deleting that mark waits for
  // this transaction and then reads its rows (lib/history/rollup.ts). After the state rows and in order, so two
  // batches of one component (two workers probing it while Redis is away) queue instead of deadlocking.
  await tx(
    `INSERT INTO "rollup_dirty" ("component_id", "minute")
     SELECT DISTINCT c, date_trunc('minute', t) FROM unnest($1::text[], $2::timestamptz[]) AS x(c, t) ORDER BY 1, 2
     ON CONFLICT ("component_id", "minute") DO UPDATE SET "minute" = EXCLUDED."minute"`,
    items.map((i) => i.componentId),
    items.map((i) => iso(i.checkedAt)),
  );

  const states: BatchStates = new Map();
  const foldedBy = new Map<string, FoldedItem[]>();
  for (const [componentId, list] of byComponent) {
    const { state, folded } = foldResults(stored.get(componentId) ?? null, list);
    states.set(componentId, state);
    if (folded.length > 0) foldedBy.set(componentId, folded);
  }
  if (foldedBy.size === 0) return states;

  // Confirmed status periods. A gap closes the open period where its coverage ended; a transition closes
  // it where the confirming streak began and opens the next one. Changes are applied in rounds (the first
  // change of every component, then the second...), each round two bulk statements, so the usual batch
  // costs two round trips however many components changed, and each component's changes stay in order.
  const changes = new Map<string, PeriodChange[]>();
  for (const [componentId, folded] of foldedBy) {
    const list: PeriodChange[] = [];
    for (const item of folded) {
      if (item.gapFrom) list.push({ item, closeAt: item.gapFrom, gap: true });
      if (item.transition) list.push({ item, closeAt: item.transition.at, gap: false });
    }
    if (list.length > 0) changes.set(componentId, list);
  }
  const rounds = Math.max(0, ...[...changes.values()].map((list) => list.length));
  for (let round = 0; round < rounds; round++) {
    const step = [...changes.values()].flatMap((list): PeriodChange[] => {
      const change = list[round];
      return change ? [change] : [];
    });
    // A closed period's last check is never after its end (a check of the next status, awaiting its streak, is
    // not one of this period's).
    // A gap's period was last seen at the check before the gap (its coverage ended one interval later, at
    // `closeAt`), which may be in this very batch: the stored last_seen_at is still the previous batch's then.
    await tx(
      `UPDATE "state_period" p SET
         "ended_at" = GREATEST(p."started_at",
           CASE WHEN x.gap THEN LEAST(x.at, GREATEST(p."last_seen_at", x.seen) + make_interval(secs => p."interval_ms" / 1000.0)) ELSE x.at END),
         "last_seen_at" = LEAST(GREATEST(p."last_seen_at", COALESCE(x.seen, p."last_seen_at")), GREATEST(p."started_at",
           CASE WHEN x.gap THEN LEAST(x.at, GREATEST(p."last_seen_at", x.seen) + make_interval(secs => p."interval_ms" / 1000.0)) ELSE x.at END))
       FROM unnest($1::text[], $2::timestamptz[], $3::boolean[], $4::timestamptz[]) AS x(c, at, gap, seen)
       WHERE p."component_id" = x.c AND p."ended_at" IS NULL`,
      step.map((s) => s.item.item.componentId),
      step.map((s) => iso(s.closeAt)),
      step.map((s) => s.gap),
      step.map((s) => (s.gap ? iso(new Date(s.closeAt.getTime() - s.item.item.rules.intervalMs)) : null)),
    );
    const opens = step.filter((s) => !s.gap && s.item.transition);
    if (opens.length > 0) {
      await tx(
        `INSERT INTO "state_period" ("component_id", "status", "started_at", "last_seen_at", "interval_ms")
         SELECT c, s::"ComponentStatus", a, l, i FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[]) AS x(c, s, a, l, i)`,
        opens.map((s) => s.item.item.componentId),
        opens.map((s) => s.item.transition?.to ?? "unknown"),
        opens.map((s) => iso(s.item.transition?.at ?? s.item.item.checkedAt)),
        opens.map((s) => iso(s.item.item.checkedAt)),
        opens.map((s) => s.item.item.rules.intervalMs),
      );
    }
  }

  const latest = [...foldedBy.values()].flatMap((folded) => folded.slice(-1));
  await tx(
    `UPDATE "state_period" p SET "last_seen_at" = GREATEST(p."last_seen_at", x.t)
     FROM unnest($1::text[], $2::timestamptz[]) AS x(c, t)
     WHERE p."component_id" = x.c AND p."ended_at" IS NULL`,
    latest.map((f) => f.item.componentId),
    latest.map((f) => iso(f.item.checkedAt)),
  );
  await tx(
    `UPDATE "component_state" cs SET
       "status" = x.s::"ComponentStatus", "since" = x.since, "observed_status" = x.o::"ComponentStatus",
       "streak" = x.streak, "streak_started_at" = x.ss, "last_checked_at" = x.t, "last_latency_ms" = x.l,
       "last_detail" = x.d, "last_error" = x.e, "consecutive_failures" = x.f, "updated_at" = now()
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::int[], $6::timestamptz[], $7::timestamptz[],
                 $8::float8[], $9::text[], $10::text[], $11::int[]) AS x(c, s, since, o, streak, ss, t, l, d, e, f)
     WHERE cs."component_id" = x.c`,
    latest.map((f) => f.item.componentId),
    latest.map((f) => f.state.status),
    latest.map((f) => iso(f.state.since)),
    latest.map((f) => f.state.observedStatus),
    latest.map((f) => f.state.streak),
    latest.map((f) => (f.state.streakStartedAt ? iso(f.state.streakStartedAt) : null)),
    latest.map((f) => iso(f.item.checkedAt)),
    latest.map((f) => f.item.outcome.latencyMs),
    latest.map((f) => clip(f.item.outcome.detail, 200)),
    latest.map((f) => clip(f.item.outcome.error, 1_000)),
    latest.map((f) => f.state.consecutiveFailures),
  );

  const notifications = [...foldedBy.values()].flatMap((folded) =>
    folded.flatMap((f) =>
      f.notify ? options.webhooks.filter((hook) => wantsNotification(hook, f)).map((hook) => ({ hook, f })) : [],
    ),
  );
  if (notifications.length > 0) {
    await tx(
      `INSERT INTO "notification_outbox" ("webhook", "component_id", "payload") SELECT w, c, p::jsonb FROM unnest($1::text[], $2::text[], $3::text[]) AS x(w, c, p)`,
      notifications.map((n) => n.hook.name),
      notifications.map((n) => n.f.item.componentId),
      notifications.map((n) => JSON.stringify(notificationPayload(n.f, options.redact))),
    );
  }
  return states;
}
