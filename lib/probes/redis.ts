import { Redis } from "ioredis";
import type { TRedisProbe } from "../config/probe-schema";
import { mentionsPlaceholder } from "../conditions/compile";
import type { ConditionValues } from "../conditions/types";
import { describeProbeError, withDeadline } from "./errors";
import { ProbeTimeoutError, type ProbeOutcome } from "./types";
import { judgeProbe } from "./verdict";

/** Always PING; INFO only when a condition reads [INFO], since INFO is heavier and may be renamed away (rename-command). */
export async function runRedisProbe(probe: TRedisProbe, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
  const wantsInfo = mentionsPlaceholder(probe.conditions, "INFO");
  const client = new Redis(probe.url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    retryStrategy: () => null,
    connectionName: "preflight-probe",
  });
  // ioredis rejects the command with a generic "Connection is closed." and reports the cause (refused,
  // reset) as an "error" event; keep the cause for the reason.
  let connectionError: unknown = null;
  client.on("error", (error: unknown) => {
    connectionError ??= error;
  });
  try {
    const { reply, info } = await withDeadline(
      (async () => {
        await client.connect();
        const pong = await client.ping();
        return { reply: pong, info: wantsInfo ? parseInfo(await client.info()) : null };
      })(),
      timeoutMs,
      () => client.disconnect(),
    );
    const latencyMs = performance.now() - started;
    const values: ConditionValues = { RESPONSE_TIME: latencyMs };
    if (info !== null) values.INFO = info;
    const role = info?.role;
    return judgeProbe({
      latencyMs,
      detail: role ? `${String(reply)}, role ${role}` : String(reply),
      values,
      conditions: probe.conditions,
      problems: reply === "PONG" ? [] : [`PING answered ${String(reply)}, expected PONG`],
    });
  } catch (error) {
    const cause = connectionError !== null && !(error instanceof ProbeTimeoutError) ? connectionError : error;
    return {
      ok: false,
      latencyMs: performance.now() - started,
      detail: null,
      error: describeProbeError(cause),
      values: {},
      failedConditions: [],
    };
  } finally {
    client.disconnect();
  }
}

/** INFO's `field:value` lines, sections ("# Replication") flattened, as Redis documents the format. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line === "" || line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}
