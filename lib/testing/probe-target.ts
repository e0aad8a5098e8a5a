import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { nextSlotAt } from "../worker/scheduler";

/**
 * An HTTP service for probes to hit, which records every probe it receives: which component (its `?c=` parameter)
 * and when. Since every slot is stored once (probe_result is unique per component and slot), the stored rows cannot
 * show a slot probed twice; the requests the service received can.
 */
export type ProbeTarget = {
  /** The URL for a component's probe. */
  urlFor: (componentId: string) => string;
  /** Every probe received, in order. */
  received: { componentId: string; at: number }[];
  /** Answer 503 while true. */
  setFailing: (failing: boolean) => void;
  /**
   * Slots probed more than once, per component: each probe is counted in the latest slot at or before it (a catch-up
   * of a slot comes within its interval, before the next slot; one up to 20 ms early is the slot's), among probes received in [from, to).
   */
  slotsProbedTwice: (intervalMs: number, from?: number, to?: number) => Map<string, number[]>;
  close: () => Promise<void>;
};

export async function startProbeTarget(): Promise<ProbeTarget> {
  const received: ProbeTarget["received"] = [];
  let failing = false;
  const server: Server = createServer((req, res) => {
    const componentId = new URL(req.url ?? "/", "http://target").searchParams.get("c") ?? "";
    received.push({ componentId, at: Date.now() });
    res.writeHead(failing ? 503 : 200).end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  return {
    urlFor: (componentId) => `${base}?c=${encodeURIComponent(componentId)}`,
    received,
    setFailing: (value) => {
      failing = value;
    },
    slotsProbedTwice(intervalMs, from = -Infinity, to = Infinity) {
      const counts = new Map<string, Map<number, number>>();
      for (const { componentId, at } of received) {
        if (at < from || at >= to) continue;
        // Timers may fire a little early: a probe up to 20 ms before a slot is that slot's.
        const slot = nextSlotAt(componentId, intervalMs, at + 20) - intervalMs;
        const slots = counts.get(componentId) ?? new Map<number, number>();
        slots.set(slot, (slots.get(slot) ?? 0) + 1);
        counts.set(componentId, slots);
      }
      const twice = new Map<string, number[]>();
      for (const [componentId, slots] of counts) {
        const repeated = [...slots].filter(([, n]) => n > 1).map(([slot]) => slot);
        if (repeated.length > 0) twice.set(componentId, repeated);
      }
      return twice;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
