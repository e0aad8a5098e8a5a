// Whether this process reaches Redis, from the events of its connections (lib/redis.ts). Pure state: no I/O, so
// the once-per-outage rule is tested without a server.

export type TRedisState = "connecting" | "up" | "down";
export type TRedisHealth = {
  /** connecting: not answered yet since the process started; down: a connection was lost and is not back. */
  state: TRedisState;
  /** When the current state began. */
  since: Date;
  /** What the connection said when it last failed, while down. */
  lastError: string | null;
};

export type TLinkStatus = "connecting" | "ready" | "lost";

export type TRedisHealthTracker = {
  /** One connection's status; `error` is what it said when it failed. */
  set: (link: string, status: TLinkStatus, error?: string) => void;
  /** A connection closed on purpose: it no longer counts. */
  remove: (link: string) => void;
  get: () => TRedisHealth;
  /** Told once per transition, never per reconnection attempt. */
  subscribe: (listener: (next: TRedisHealth, previous: TRedisHealth) => void) => () => void;
};

/**
 * Down as soon as one connection is lost, up once every connection is ready again (a subscriber is ready only after
 * its channels are subscribed again). ioredis reports each failed reconnection; here they are one transition.
 */
export function createRedisHealth(now: () => number = Date.now): TRedisHealthTracker {
  const links = new Map<string, TLinkStatus>();
  const listeners = new Set<(next: TRedisHealth, previous: TRedisHealth) => void>();
  let health: TRedisHealth = { state: "connecting", since: new Date(now()), lastError: null };
  let failure: string | null = null;

  const recompute = () => {
    const statuses = [...links.values()];
    const next: TRedisState = statuses.includes("lost")
      ? "down"
      : statuses.length > 0 && statuses.every((s) => s === "ready")
        ? "up"
        : health.state;
    if (next === health.state) return;
    const previous = health;
    health = {
      state: next,
      since: new Date(now()),
      lastError: next === "down" ? (failure ?? "connection closed") : null,
    };
    if (next !== "down") failure = null;
    for (const listener of [...listeners]) listener(health, previous);
  };

  return {
    set(link, status, error) {
      if (status === "lost" && error) failure = error;
      links.set(link, status);
      recompute();
      // Kept current for /api/health; the transition itself was told once, above.
      if (health.state === "down" && failure !== null) health = { ...health, lastError: failure };
    },
    remove(link) {
      links.delete(link);
      recompute();
    },
    get: () => health,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
