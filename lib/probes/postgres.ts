import pg from "pg";
import type { TPostgresProbe } from "../config/probe-schema";
import { mentionsPlaceholder } from "../conditions/compile";
import { formatActual } from "../conditions/format";
import type { ConditionValues } from "../conditions/types";
import { withDeadline } from "./errors";
import type { ProbeOutcome } from "./types";
import { failProbe, judgeProbe } from "./verdict";

// Literally `SELECT 1`, the query every PostgreSQL-compatible server and pooler answers.
const DEFAULT_QUERY = "SELECT 1";

export async function runPostgresProbe(probe: TPostgresProbe, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
  const query = probe.query ?? DEFAULT_QUERY;
  const client = new pg.Client({
    connectionString: probe.url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: "preflight-probe",
  });
  // A refused or dropped connection is reported through the awaited calls; this only keeps an "error"
  // event after the deadline from crashing the process.
  client.on("error", () => undefined);
  try {
    const result = await withDeadline(
      (async () => {
        await client.connect();
        // rowMode "array": [RESULT] is the first column whatever its name, and duplicate names cannot collide.
        const reply: unknown = await client.query({ text: query, rowMode: "array" });
        // Several statements in one query answer with one result each; the last one is what the query returns.
        return (Array.isArray(reply) ? reply.at(-1) : reply) as pg.QueryResult<unknown[]> | undefined;
      })(),
      timeoutMs,
      () => {
        (client as unknown as { connection?: { stream?: { destroy: () => void } } }).connection?.stream?.destroy();
      },
    );
    const latencyMs = performance.now() - started;
    const rows = result?.rows ?? [];
    const values: ConditionValues = { RESPONSE_TIME: latencyMs, ROWS: result?.rowCount ?? rows.length };
    if (rows.length > 0) values.RESULT = rows[0]?.[0];
    const usesDefault = probe.query === undefined && !mentionsPlaceholder(probe.conditions, "RESULT");
    return judgeProbe({
      latencyMs,
      detail: `${shortenQuery(query)} → ${rows.length === 0 ? "no rows" : formatResult(values.RESULT)}`,
      values,
      implicit: usesDefault ? ["[RESULT] == 1"] : [],
      conditions: probe.conditions,
    });
  } catch (error) {
    return failProbe(started, error);
  } finally {
    client.end().catch(() => undefined);
  }
}

function shortenQuery(query: string): string {
  const flat = query.replace(/\s+/g, " ").trim();
  return flat.length > 40 ? `${flat.slice(0, 39).trimEnd()}…` : flat;
}

function formatResult(value: unknown): string {
  // Numbers and short words read as they are ("SELECT 1 → 1", "→ t"); anything else as a quoted value.
  if (typeof value === "number" || (typeof value === "string" && /^[\w.:-]{1,40}$/.test(value))) return String(value);
  return formatActual(value);
}
