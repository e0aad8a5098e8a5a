import { connect } from "node:net";
import type { TTcpProbe } from "../config/probe-schema";
import { mentionsPlaceholder } from "../conditions/compile";
import type { ConditionValues } from "../conditions/types";
import { describeProbeError, withDeadline } from "./errors";
import type { ProbeOutcome } from "./types";
import { judgeProbe } from "./verdict";

/**
 * Opens a TCP connection and closes it. A failed connection is a measurement here ([CONNECTED] false), not an
 * error, so `[CONNECTED] == false` can assert that a port is closed to the prober.
 */
export async function runTcpProbe(probe: TTcpProbe, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
  const socket = connect({ host: probe.host, port: probe.port });
  let reason: string | null = null;
  try {
    await withDeadline(
      new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("error", reject);
      }),
      timeoutMs,
      () => socket.destroy(),
    );
  } catch (error) {
    reason = describeProbeError(error);
  } finally {
    socket.on("error", () => undefined);
    socket.destroy();
  }
  const latencyMs = performance.now() - started;
  const connected = reason === null;
  const values: ConditionValues = { CONNECTED: connected, RESPONSE_TIME: latencyMs };
  const custom = mentionsPlaceholder(probe.conditions, "CONNECTED");
  // Without conditions of its own, a refused port reads as its reason alone, not also as "[CONNECTED] == true (got false)".
  if (!connected && !custom)
    return judgeProbe({ latencyMs, detail: null, values, problems: [reason ?? "not connected"], skipConditions: true });
  const outcome = judgeProbe({
    latencyMs,
    detail: connected ? "connected" : `not connected (${reason})`,
    values,
    implicit: custom ? [] : ["[CONNECTED] == true"],
    conditions: probe.conditions,
  });
  return outcome.ok || connected ? outcome : { ...outcome, error: `${outcome.error}; ${reason}` };
}
