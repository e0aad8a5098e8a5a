import pg from "pg";
import type { TPostgresProbe } from "../config/schema";
import { describeProbeError, withDeadline } from "./errors";
import type { ProbeOutcome } from "./types";

export async function runPostgresProbe(probe: TPostgresProbe, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
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
    const value = await withDeadline(
      (async () => {
        await client.connect();
        // Literally `SELECT 1`, the query every PostgreSQL-compatible server and pooler answers.
        const result = await client.query<[number]>({ text: "SELECT 1", rowMode: "array" });
        return result.rows[0]?.[0];
      })(),
      timeoutMs,
      () => {
        (client as unknown as { connection?: { stream?: { destroy: () => void } } }).connection?.stream?.destroy();
      },
    );
    const latencyMs = performance.now() - started;
    if (value !== 1) return { ok: false, latencyMs, detail: `SELECT 1 → ${String(value)}`, error: "SELECT 1 did not return 1" };
    return { ok: true, latencyMs, detail: "SELECT 1 → 1", error: null };
  } catch (error) {
    return { ok: false, latencyMs: performance.now() - started, detail: null, error: describeProbeError(error) };
  } finally {
    client.end().catch(() => undefined);
  }
}
