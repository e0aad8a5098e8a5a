import type { TWebhook } from "../config/operations-schema";
import { getPool } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import type { WriteItem } from "../worker/state-tracker";
import { dayStart, ensurePartitions, isMissingPartitionError } from "./partitions";

/** Runs one statement inside the batch's transaction. */
type Exec = (sql: string, ...params: unknown[]) => Promise<unknown>;

export type WriteBatchOptions = {
  workerId: string;
  webhooks: TWebhook[];
  redact: (text: string) => string;
};

const iso = (d: Date) => d.toISOString();

type PeriodChange = { item: WriteItem; closeAt: Date; gap: boolean };

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
export function notificationPayload(item: WriteItem, redact: (text: string) => string = (t) => t) {
  const transition = item.transition;
  return {
    event: "component.state_changed",
    component: item.componentId,
    from: transition?.from ?? "unknown",
    to: transition?.to ?? item.state.status,
    at: iso(transition?.at ?? item.checkedAt),
    checkedAt: iso(item.checkedAt),
    detail: storableText(item.outcome.detail, 200, redact),
    error: storableText(item.outcome.error, 1_000, redact),
  };
}

function wantsNotification(hook: TWebhook, item: WriteItem): boolean {
  const to = item.transition?.to;
  if (!to) return false;
  if (hook.events && !hook.events.includes(to)) return false;
  return !hook.components || hook.components.includes(item.componentId);
}

/**
 * Stores a batch of results in one transaction: raw rows, latest state per component, the confirmed
 * status periods, the minutes to roll up again, and the webhook notifications (a transactional outbox, so
 * a notification exists exactly when its state change does). Bulk statements over unnest() keep a batch
 * of thousands of results to a handful of round trips.
 */
export async function writeBatch(prisma: PrismaClient, items: WriteItem[], options: WriteBatchOptions): Promise<void> {
  if (items.length === 0) return;
  try {
    await inTransaction(prisma, (exec) => writeInTransaction(exec, items, options));
  } catch (error) {
    if (!isMissingPartitionError(error)) throw error;
    // A result for a day whose partition does not exist yet (a late flush, or a clock far ahead).
    const times = items.map((i) => i.checkedAt.getTime());
    await ensurePartitions(prisma, dayStart(Math.min(...times)), dayStart(Math.max(...times)));
    await inTransaction(prisma, (exec) => writeInTransaction(exec, items, options));
  }
}

/**
 * The batch's transaction straight on the pool under the Prisma client when there is one (this path runs
 * several times a second; Prisma's per-statement overhead was a third of the worker's CPU), through Prisma
 * otherwise.
 */
async function inTransaction(prisma: PrismaClient, work: (exec: Exec) => Promise<void>): Promise<void> {
  const pool = getPool(prisma);
  if (!pool) {
    await prisma.$transaction((tx) => work((sql, ...params) => tx.$executeRawUnsafe(sql, ...params)), { timeout: 60_000, maxWait: 30_000 });
    return;
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
    await work((sql, ...params) => client.query(sql, params));
    await client.query("COMMIT");
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

async function writeInTransaction(tx: Exec, items: WriteItem[], options: WriteBatchOptions): Promise<void> {
  const clip = (text: string | null, max: number) => storableText(text, max, options.redact);
  await tx(
    `INSERT INTO "probe_result" ("component_id", "checked_at", "ok", "status", "latency_ms", "detail", "error", "worker_id")
     SELECT c, t, o, s::"ComponentStatus", l, d, e, $8
     FROM unnest($1::text[], $2::timestamptz[], $3::boolean[], $4::text[], $5::float8[], $6::text[], $7::text[]) AS x(c, t, o, s, l, d, e)`,
    items.map((i) => i.componentId),
    items.map((i) => iso(i.checkedAt)),
    items.map((i) => i.outcome.ok),
    items.map((i) => i.observed),
    items.map((i) => i.outcome.latencyMs),
    items.map((i) => clip(i.outcome.detail, 200)),
    items.map((i) => clip(i.outcome.error, 1_000)),
    options.workerId,
  );

  // Confirmed status periods. A gap closes the open period where its coverage ended; a transition closes
  // it where the confirming streak began and opens the next one. Changes are applied in rounds (the first
  // change of every component, then the second...), each round two bulk statements, so the usual batch
  // costs two round trips however many components changed, and each component's changes stay in order.
  const changes = new Map<string, PeriodChange[]>();
  for (const item of items) {
    if (!item.gapFrom && !item.transition) continue;
    const list = changes.get(item.componentId) ?? [];
    list.push({ item, closeAt: item.transition?.at ?? item.gapFrom ?? item.checkedAt, gap: item.gapFrom !== null && !item.transition });
    if (item.gapFrom && item.transition) list.splice(list.length - 1, 0, { item, closeAt: item.gapFrom, gap: true });
    changes.set(item.componentId, list);
  }
  const rounds = Math.max(0, ...[...changes.values()].map((list) => list.length));
  for (let round = 0; round < rounds; round++) {
    const step = [...changes.values()].flatMap((list): PeriodChange[] => {
      const change = list[round];
      return change ? [change] : [];
    });
    await tx(
      `UPDATE "state_period" p SET "ended_at" = GREATEST(p."started_at",
         CASE WHEN x.gap THEN LEAST(x.at, p."last_seen_at" + make_interval(secs => p."interval_ms" / 1000.0)) ELSE x.at END)
       FROM unnest($1::text[], $2::timestamptz[], $3::boolean[]) AS x(c, at, gap)
       WHERE p."component_id" = x.c AND p."ended_at" IS NULL`,
      step.map((s) => s.item.componentId),
      step.map((s) => iso(s.closeAt)),
      step.map((s) => s.gap),
    );
    const opens = step.filter((s) => !s.gap && s.item.transition);
    if (opens.length > 0) {
      await tx(
        `INSERT INTO "state_period" ("component_id", "status", "started_at", "last_seen_at", "interval_ms")
         SELECT c, s::"ComponentStatus", a, l, i FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[]) AS x(c, s, a, l, i)`,
        opens.map((s) => s.item.componentId),
        opens.map((s) => s.item.transition?.to ?? "unknown"),
        opens.map((s) => iso(s.item.transition?.at ?? s.item.checkedAt)),
        opens.map((s) => iso(s.item.checkedAt)),
        opens.map((s) => s.item.intervalMs),
      );
    }
  }

  const last = new Map<string, WriteItem>();
  for (const item of items) last.set(item.componentId, item);
  const latest = [...last.values()];
  await tx(
    `UPDATE "state_period" p SET "last_seen_at" = GREATEST(p."last_seen_at", x.t)
     FROM unnest($1::text[], $2::timestamptz[]) AS x(c, t)
     WHERE p."component_id" = x.c AND p."ended_at" IS NULL`,
    latest.map((i) => i.componentId),
    latest.map((i) => iso(i.checkedAt)),
  );
  await tx(
    `INSERT INTO "component_state" ("component_id", "status", "since", "observed_status", "streak", "streak_started_at",
       "last_checked_at", "last_latency_ms", "last_detail", "last_error", "consecutive_failures", "updated_at")
     SELECT c, s::"ComponentStatus", since, o::"ComponentStatus", streak, ss, t, l, d, e, f, now()
     FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::int[], $6::timestamptz[], $7::timestamptz[],
                 $8::float8[], $9::text[], $10::text[], $11::int[]) AS x(c, s, since, o, streak, ss, t, l, d, e, f)
     ON CONFLICT ("component_id") DO UPDATE SET
       "status" = EXCLUDED."status", "since" = EXCLUDED."since", "observed_status" = EXCLUDED."observed_status",
       "streak" = EXCLUDED."streak", "streak_started_at" = EXCLUDED."streak_started_at",
       "last_checked_at" = EXCLUDED."last_checked_at", "last_latency_ms" = EXCLUDED."last_latency_ms",
       "last_detail" = EXCLUDED."last_detail", "last_error" = EXCLUDED."last_error",
       "consecutive_failures" = EXCLUDED."consecutive_failures", "updated_at" = now()
     WHERE "component_state"."last_checked_at" IS NULL OR "component_state"."last_checked_at" <= EXCLUDED."last_checked_at"`,
    latest.map((i) => i.componentId),
    latest.map((i) => i.state.status),
    latest.map((i) => iso(i.state.since)),
    latest.map((i) => i.state.observedStatus),
    latest.map((i) => i.state.streak),
    latest.map((i) => (i.state.streakStartedAt ? iso(i.state.streakStartedAt) : null)),
    latest.map((i) => iso(i.checkedAt)),
    latest.map((i) => i.outcome.latencyMs),
    latest.map((i) => clip(i.outcome.detail, 200)),
    latest.map((i) => clip(i.outcome.error, 1_000)),
    latest.map((i) => i.state.consecutiveFailures),
  );

  // DO UPDATE rather than DO NOTHING: it locks an existing mark, so a rollup deleting that mark waits for
  // this transaction and then reads its rows (lib/history/rollup.ts).
  await tx(
    `INSERT INTO "rollup_dirty" ("component_id", "minute")
     SELECT DISTINCT c, date_trunc('minute', t) FROM unnest($1::text[], $2::timestamptz[]) AS x(c, t)
     ON CONFLICT ("component_id", "minute") DO UPDATE SET "minute" = EXCLUDED."minute"`,
    items.map((i) => i.componentId),
    items.map((i) => iso(i.checkedAt)),
  );

  const notifications = items.flatMap((item) =>
    item.notify ? options.webhooks.filter((hook) => wantsNotification(hook, item)).map((hook) => ({ hook, item })) : [],
  );
  if (notifications.length > 0) {
    await tx(
      `INSERT INTO "notification_outbox" ("webhook", "component_id", "payload") SELECT w, c, p::jsonb FROM unnest($1::text[], $2::text[], $3::text[]) AS x(w, c, p)`,
      notifications.map((n) => n.hook.name),
      notifications.map((n) => n.item.componentId),
      notifications.map((n) => JSON.stringify(notificationPayload(n.item, options.redact))),
    );
  }
}
