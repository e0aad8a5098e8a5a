import { Redis } from "ioredis";
import type { TRedisProbe } from "../config/schema";
import { describeProbeError, withDeadline } from "./errors";
import { ProbeTimeoutError, type ProbeOutcome } from "./types";

export async function runRedisProbe(probe: TRedisProbe, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
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
    const reply = await withDeadline(
      (async () => {
        await client.connect();
        return client.ping();
      })(),
      timeoutMs,
      () => client.disconnect(),
    );
    const latencyMs = performance.now() - started;
    if (reply !== "PONG") return { ok: false, latencyMs, detail: String(reply), error: `PING answered ${String(reply)}, expected PONG` };
    return { ok: true, latencyMs, detail: "PONG", error: null };
  } catch (error) {
    const cause = connectionError !== null && !(error instanceof ProbeTimeoutError) ? connectionError : error;
    return { ok: false, latencyMs: performance.now() - started, detail: null, error: describeProbeError(cause) };
  } finally {
    client.disconnect();
  }
}
