import type { TProbe } from "../config/schema";
import { runHttpProbe } from "./http";
import { runPostgresProbe } from "./postgres";
import { runRedisProbe } from "./redis";
import type { ProbeOutcome } from "./types";

export function runProbe(probe: TProbe, timeoutMs: number): Promise<ProbeOutcome> {
  switch (probe.type) {
    case "http":
      return runHttpProbe(probe, timeoutMs);
    case "postgres":
      return runPostgresProbe(probe, timeoutMs);
    case "redis":
      return runRedisProbe(probe, timeoutMs);
  }
}
