// A small admission limiter for expensive work (a Chromium per PDF): at most `concurrency` jobs run, at most
// `maxWaiting` wait for a slot, and anything beyond is refused at once so that the caller can answer "busy"
// instead of letting requests pile up behind one another. Pure: no timers, no I/O.

export type TQueued<T> = { ok: true; value: T } | { ok: false; reason: "busy" };

export type TRenderQueueOptions = { concurrency: number; maxWaiting: number };

export type TRenderQueue = {
  /** Runs `job` when a slot is free; "busy" when the queue is full. A job that throws rejects and frees its slot. */
  run: <T>(job: () => Promise<T>) => Promise<TQueued<T>>;
  /** Whether a call made now would be refused. */
  isFull: () => boolean;
  stats: () => { running: number; waiting: number };
};

export function createRenderQueue({ concurrency, maxWaiting }: TRenderQueueOptions): TRenderQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  }
  if (!Number.isInteger(maxWaiting) || maxWaiting < 0) {
    throw new RangeError(`maxWaiting must be a whole number ≥ 0, got ${maxWaiting}`);
  }
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    // The slot passes straight to the next job, so a newcomer cannot slip in between and exceed the limit.
    if (next) next();
    else running -= 1;
  };

  const isFull = () => running >= concurrency && waiting.length >= maxWaiting;

  return {
    run: async <T>(job: () => Promise<T>): Promise<TQueued<T>> => {
      if (running < concurrency) running += 1;
      else if (waiting.length >= maxWaiting) return { ok: false, reason: "busy" };
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return { ok: true, value: await job() };
      } finally {
        release();
      }
    },
    isFull,
    stats: () => ({ running, waiting: waiting.length }),
  };
}
