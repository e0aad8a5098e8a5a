import type { Logger } from "pino";
import type { TWebhook } from "../config/operations-schema";
import type { PrismaClient } from "../generated/prisma/client";
import { sloEventText, type TSloPayload } from "../slo/notify";

// Delivers state-change notifications from the outbox. Runs on its own timer, never in the probe path;
// each delivery is retried with exponential backoff (1 s, 2 s, 4 s, ... capped at 10 min) up to
// MAX_ATTEMPTS, and a row is leased while in flight so that several workers never send it twice.

const MAX_ATTEMPTS = 10;
// A lease covers a whole round (at most BATCH sends of TIMEOUT_MS each, with room to spare), so another
// worker never picks up a row this one is still sending.
const BATCH = 5;
const LEASE = "60 seconds";
const TIMEOUT_MS = 5_000;

type OutboxRow = {
  id: bigint;
  webhook: string;
  component_id: string;
  payload: Record<string, unknown>;
  attempts: number;
};
type Payload = {
  component?: string;
  from?: string;
  to?: string;
  at?: string;
  error?: string | null;
  detail?: string | null;
};

export function backoffMs(attempts: number): number {
  return Math.min(600_000, 1_000 * 2 ** Math.max(0, attempts - 1));
}

const ICON: Record<string, string> = {
  up: ":large_green_circle:",
  degraded: ":large_yellow_circle:",
  down: ":red_circle:",
};

/** Component changes carry event "component.state_changed"; SLO alerts their event's name (lib/slo/notify.ts). */
function isSloPayload(payload: Payload | TSloPayload): payload is TSloPayload {
  const event = (payload as { event?: unknown }).event;
  return typeof event === "string" && event.startsWith("slo-");
}

/** The request body for a webhook: Preflight's JSON, or a Slack-compatible message. */
export function formatWebhookBody(hook: TWebhook, systemName: string, payload: Payload | TSloPayload): unknown {
  if (hook.format === "json") return { system: systemName, ...payload };
  // Component changes carry event "component.state_changed"; SLO alerts their event's name.
  if (isSloPayload(payload)) return { text: sloEventText(systemName, payload) };
  const to = payload.to ?? "unknown";
  const reason = payload.error ? ` (${payload.error})` : payload.detail ? ` (${payload.detail})` : "";
  return {
    text: `${ICON[to] ?? ""} ${systemName}: ${payload.component} is ${to.toUpperCase()} since ${payload.at}, was ${payload.from}${reason}`.trim(),
  };
}

export async function deliverDueNotifications(options: {
  prisma: PrismaClient;
  webhooks: TWebhook[];
  systemName: string;
  logger: Logger;
  fetchImpl?: typeof fetch;
}): Promise<{ delivered: number; failed: number }> {
  const { prisma, logger } = options;
  const post = options.fetchImpl ?? fetch;
  const rows = await prisma.$queryRawUnsafe<OutboxRow[]>(
    `UPDATE "notification_outbox" SET "next_attempt_at" = now() + interval '${LEASE}'
     WHERE "id" IN (SELECT "id" FROM "notification_outbox"
                    WHERE "delivered_at" IS NULL AND "failed_at" IS NULL AND "next_attempt_at" <= now()
                    ORDER BY "id" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
     RETURNING "id", "webhook", "component_id", "payload", "attempts"`,
  );
  let delivered = 0;
  let failed = 0;
  for (const row of rows) {
    const hook = options.webhooks.find((w) => w.name === row.webhook);
    let error: string | null = null;
    if (!hook) error = `webhook "${row.webhook}" is no longer configured`;
    else {
      try {
        const response = await post(hook.url, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "Preflight/0.1", ...hook.headers },
          body: JSON.stringify(formatWebhookBody(hook, options.systemName, row.payload as Payload)),
          signal: AbortSignal.timeout(TIMEOUT_MS),
          redirect: "manual",
        });
        await response.body?.cancel().catch(() => undefined);
        if (response.status < 200 || response.status >= 300) error = `HTTP ${response.status}`;
      } catch (e) {
        error =
          (e as Error).name === "TimeoutError"
            ? `timed out after ${TIMEOUT_MS} ms`
            : ((e as Error).message ?? String(e));
      }
    }
    const attempts = row.attempts + 1;
    if (error === null) {
      delivered++;
      await prisma.$executeRawUnsafe(
        `UPDATE "notification_outbox" SET "delivered_at" = now(), "attempts" = $2, "last_error" = NULL WHERE "id" = $1`,
        row.id,
        attempts,
      );
    } else {
      const final = attempts >= MAX_ATTEMPTS || !hook;
      if (final) failed++;
      // The webhook's URL may embed a secret (Slack's do): only its name is logged.
      logger.warn({ webhook: row.webhook, attempts, final, err: error }, "webhook delivery failed");
      await prisma.$executeRawUnsafe(
        `UPDATE "notification_outbox" SET "attempts" = $2, "last_error" = $3,
           "next_attempt_at" = now() + make_interval(secs => $4::float8 / 1000), "failed_at" = CASE WHEN $5 THEN now() END
         WHERE "id" = $1`,
        row.id,
        attempts,
        error.slice(0, 500),
        backoffMs(attempts),
        final,
      );
    }
  }
  return { delivered, failed };
}
