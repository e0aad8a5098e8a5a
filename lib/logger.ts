import pino from "pino";
import { getEnv } from "./env";

const globalForLogger = globalThis as unknown as { preflightLogger?: pino.Logger };

/** One structured logger for every process. Connection strings are redacted by the callers (lib/redact). */
export function getLogger(): pino.Logger {
  globalForLogger.preflightLogger ??= pino({
    level: getEnv().LOG_LEVEL,
    base: { pid: process.pid },
    redact: { paths: ["*.password", "*.url", "*.connectionString", "*.token"], censor: "[redacted]" },
  });
  return globalForLogger.preflightLogger;
}
