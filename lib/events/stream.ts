import type { EventBus, TLiveEvent } from "./bus";

// The server-sent event stream of one signed-in person. A stream outlives the request check that opened it, so it
// asks again, `isStillActive()`, while it runs: every `recheckMs`, and before a send when the last answer is older
// than that. The moment the answer is no (user disabled, session revoked or expired), or the question cannot be
// answered (database down, too slow), the stream ends: the browser reconnects and meets the route's own 401.

export type TEventStreamOptions = {
  bus: Pick<EventBus, "kind" | "subscribe"> &
    Partial<Pick<EventBus, "subscribeAccessChanges" | "state" | "subscribeState">>;
  /** The person behind the stream: a notice that their access changed makes the stream ask again at once. */
  userId?: string;
  /** Whether the person behind the stream may still read it; asked at most once per `recheckMs`. */
  isStillActive: () => Promise<boolean>;
  /** The request's signal: the browser went away. */
  signal?: AbortSignal;
  recheckMs?: number;
  /** A check that takes longer counts as a no. */
  checkTimeoutMs?: number;
  heartbeatMs?: number;
  /** Told once, when the stream ends on its own (not when the browser leaves). */
  onRevoked?: (reason: "inactive" | "check-failed") => void;
  now?: () => number;
};

const DEFAULTS = { recheckMs: 2_000, checkTimeoutMs: 5_000, heartbeatMs: 15_000 };

/** While the bus is down, the browser asks again this often (EventSource reconnects after `retry`). */
export const DEGRADED_RETRY_MS = 5_000;

/**
 * The bus cannot deliver (Redis unreachable): the stream says so and ends, which an EventSource reports as an
 * error (the page polls) and answers by reconnecting after `retry` ms; the first stream that gets `hello` again is
 * live again. A 200 with this event, not a 503: after a non-200 an EventSource never reconnects by itself.
 */
export function degradedEvent(at: Date): string {
  const data = {
    reason: "bus-down",
    message: "live updates are paused: the event bus (Redis) is unreachable",
    at: at.toISOString(),
    retryMs: DEGRADED_RETRY_MS,
  };
  return `retry: ${DEGRADED_RETRY_MS}\nevent: degraded\ndata: ${JSON.stringify(data)}\n\n`;
}

export function createEventStream(options: TEventStreamOptions): ReadableStream<Uint8Array> {
  const { bus, isStillActive, signal } = options;
  const recheckMs = options.recheckMs ?? DEFAULTS.recheckMs;
  const checkTimeoutMs = options.checkTimeoutMs ?? DEFAULTS.checkTimeoutMs;
  const heartbeatMs = options.heartbeatMs ?? DEFAULTS.heartbeatMs;
  const now = options.now ?? Date.now;
  const encoder = new TextEncoder();

  let closed = false;
  // The route checked the session just before opening the stream.
  let checkedAt = now();
  let inFlight: Promise<boolean> | null = null;
  // Sends go through one chain so that events keep their order while a check is pending.
  let sending: Promise<void> = Promise.resolve();
  let timers: ReturnType<typeof setTimeout>[] = [];
  let end: (reason?: "inactive" | "check-failed") => void = () => undefined;

  /** One check at a time, shared by the timer and the senders; a failure or a timeout is a no. */
  const check = (): Promise<boolean> => {
    inFlight ??= askWithTimeout(isStillActive, checkTimeoutMs)
      .then((verdict) => {
        if (verdict === true) {
          checkedAt = now();
          return true;
        }
        end(verdict === false ? "inactive" : "check-failed");
        return false;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          end();
        }
      };
      /** Sends only after a fresh enough yes. */
      const send = (text: string) => {
        sending = sending.then(async () => {
          if (closed) return;
          if (now() - checkedAt >= recheckMs && !(await check())) return;
          write(text);
        });
      };
      const every = (ms: number, tick: () => Promise<void> | void) => {
        const schedule = () => {
          if (closed) return;
          const timer = setTimeout(async () => {
            timers = timers.filter((t) => t !== timer);
            await tick();
            schedule();
          }, ms);
          timers.push(timer);
        };
        schedule();
      };

      const unsubscribeEvents = bus.subscribe((event: TLiveEvent) => {
        send(`event: results\ndata: ${JSON.stringify(event)}\n\n`);
      });
      // Disabled, signed out elsewhere, password changed: the last yes no longer holds, so no send goes out on it,
      // and the stream asks now rather than at the next re-check.
      const unsubscribeAccess =
        options.userId === undefined || bus.subscribeAccessChanges === undefined
          ? () => undefined
          : bus.subscribeAccessChanges((userId) => {
              if (userId !== options.userId || closed) return;
              checkedAt = Number.NEGATIVE_INFINITY;
              void check();
            });
      // Redis went away under an open stream: no event would reach it, so it must not keep saying "Live".
      const unsubscribeState =
        bus.subscribeState?.((state) => {
          if (state !== "down" || closed) return;
          write(degradedEvent(new Date(now())));
          end();
        }) ?? (() => undefined);
      const unsubscribe = () => {
        unsubscribeEvents();
        unsubscribeAccess();
        unsubscribeState();
      };
      const onAbort = () => end();
      end = (reason) => {
        if (closed) return;
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers = [];
        unsubscribe();
        signal?.removeEventListener("abort", onAbort);
        try {
          controller.close();
        } catch {
          // already closed or cancelled
        }
        if (reason) options.onRevoked?.(reason);
      };
      signal?.addEventListener("abort", onAbort);
      if (signal?.aborted) return end();
      if (bus.state?.() === "down") {
        write(degradedEvent(new Date(now())));
        return end();
      }

      const hello = { bus: bus.kind, at: new Date(now()).toISOString() };
      write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify(hello)}\n\n`);
      // Quiet streams are checked too: without events, nothing else would notice a disabled user. Sends between two
      // timer checks reuse the last yes, so a stream learns of a no within recheckMs (plus the check itself).
      every(recheckMs, async () => {
        await check();
      });
      // A comment now and then keeps proxies from closing an idle stream.
      every(heartbeatMs, () => send(": keep-alive\n\n"));
    },
    cancel() {
      end();
    },
  });
}

/** true or false as answered; "failed" when the check threw or did not answer in time. */
async function askWithTimeout(ask: () => Promise<boolean>, timeoutMs: number): Promise<boolean | "failed"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"failed">((resolve) => {
    timer = setTimeout(() => resolve("failed"), timeoutMs);
  });
  try {
    const answer = Promise.resolve()
      .then(ask)
      .then(
        (active) => active === true,
        () => "failed" as const,
      );
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
