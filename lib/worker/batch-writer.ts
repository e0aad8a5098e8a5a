import type { Logger } from "pino";
import type { WriteItem } from "./state-tracker";

export type BatchWriterStats = {
  depth: number;
  dropped: number;
  /** Results the database refused as data (not an outage), written one by one and set aside. */
  rejected: number;
  written: number;
  failedFlushes: number;
  lastError: string | null;
  lastFlushAt: Date | null;
};

/**
 * Buffers results and writes them in batches. When the database is unreachable the worker keeps probing:
 * results wait here (bounded by `limit`) and are written when it is back, oldest first. If the buffer ever
 * overflows, the oldest results are dropped, and the loss is counted, logged and reported, never silent.
 */
export function createBatchWriter(options: {
  write: (items: WriteItem[]) => Promise<void>;
  logger: Logger;
  limit: number;
  maxBatch?: number;
  flushEveryMs?: number;
  maxBackoffMs?: number;
  onDrop?: (count: number) => void;
  /** True for an error about the data (a value PostgreSQL refuses), as opposed to an unreachable database. */
  isDataError?: (error: unknown) => boolean;
}) {
  const maxBatch = options.maxBatch ?? 2_000;
  // Twice a second: a browser still hears of a result well within 2 s, and each stored result carries a
  // smaller share of the per-transaction cost.
  const flushEveryMs = options.flushEveryMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const buffer: WriteItem[] = [];
  const stats: BatchWriterStats = {
    depth: 0,
    dropped: 0,
    rejected: 0,
    written: 0,
    failedFlushes: 0,
    lastError: null,
    lastFlushAt: null,
  };
  /** How many items at the front of the buffer are being written now: overflow never drops those. */
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | null = null;
  let backoffMs = 0;
  let running = true;
  let lastDropLog = 0;

  const flushOnce = async (): Promise<boolean> => {
    if (buffer.length === 0) return true;
    const batch = buffer.slice(0, maxBatch);
    inFlight = batch.length;
    try {
      try {
        await options.write(batch);
      } catch (error) {
        if (!options.isDataError?.(error)) throw error;
        // One result the database will never take must not hold back every result behind it: write them
        // one by one and set aside only those refused.
        for (const item of batch) {
          try {
            await options.write([item]);
          } catch (single) {
            if (!options.isDataError(single)) throw single;
            stats.rejected++;
            options.logger.error(
              { component: item.componentId, err: (single as Error).message },
              "database refused a result; set aside",
            );
          }
        }
      }
      buffer.splice(0, batch.length);
      stats.written += batch.length;
      stats.lastFlushAt = new Date();
      if (stats.lastError) options.logger.info({ buffered: buffer.length }, "database writes recovered");
      stats.lastError = null;
      backoffMs = 0;
      return true;
    } catch (error) {
      stats.failedFlushes++;
      const message = (error as Error).message?.split("\n")[0] ?? String(error);
      if (stats.lastError === null)
        options.logger.warn({ err: message, buffered: buffer.length }, "database write failed; buffering results");
      stats.lastError = message;
      backoffMs = Math.min(maxBackoffMs, Math.max(250, backoffMs * 2));
      return false;
    } finally {
      inFlight = 0;
    }
  };

  const flushAll = async () => {
    while (buffer.length > 0) {
      if (!(await flushOnce())) return;
    }
  };

  const schedule = () => {
    if (!running) return;
    timer = setTimeout(() => {
      flushing = flushAll().finally(() => {
        flushing = null;
        stats.depth = buffer.length;
        schedule();
      });
    }, backoffMs || flushEveryMs);
    timer.unref?.();
  };
  schedule();

  return {
    enqueue(item: WriteItem) {
      buffer.push(item);
      if (buffer.length > options.limit) {
        // The oldest results not being written right now go first.
        const excess = Math.min(buffer.length - options.limit, buffer.length - inFlight);
        buffer.splice(inFlight, excess);
        stats.dropped += excess;
        options.onDrop?.(excess);
        const now = Date.now();
        if (now - lastDropLog > 10_000) {
          lastDropLog = now;
          options.logger.error(
            { dropped: stats.dropped, limit: options.limit },
            "result buffer full: oldest results dropped",
          );
        }
      }
      stats.depth = buffer.length;
    },
    /** Writes everything buffered now (used by tests and on shutdown). */
    async flush(): Promise<boolean> {
      if (flushing) await flushing;
      await flushAll();
      stats.depth = buffer.length;
      return buffer.length === 0;
    },
    stats: (): BatchWriterStats => ({ ...stats, depth: buffer.length }),
    /** Stops the timer and tries to write what is left, for at most `timeoutMs`. */
    async stop(timeoutMs = 5_000) {
      running = false;
      clearTimeout(timer);
      if (flushing) await flushing;
      const deadline = Date.now() + timeoutMs;
      while (buffer.length > 0 && Date.now() < deadline) {
        if (!(await flushOnce())) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      if (buffer.length > 0) options.logger.error({ lost: buffer.length }, "worker stopped with unwritten results");
    },
  };
}
