// A per-process cache for aggregates that only change at the rollup cadence (every ~15 s): a value younger
// than `freshMs` is served as is; an older one is served while one refresh runs in the background, so no
// request waits for the recomputation except the very first.

type Entry<T> = { value: T; at: number; refreshing: Promise<void> | null };

export function createSwrCache<T>(options: { freshMs: number; maxStaleMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry<T>>();
  return {
    async get(key: string, load: () => Promise<T>): Promise<T> {
      const entry = entries.get(key);
      const age = entry ? now() - entry.at : Number.POSITIVE_INFINITY;
      if (entry && age <= options.freshMs) return entry.value;
      if (entry && age <= options.maxStaleMs) {
        entry.refreshing ??= load()
          .then((value) => void entries.set(key, { value, at: now(), refreshing: null }))
          .catch(() => {
            entry.refreshing = null;
          });
        return entry.value;
      }
      const value = await load();
      entries.set(key, { value, at: now(), refreshing: null });
      return value;
    },
    clear: () => entries.clear(),
  };
}
