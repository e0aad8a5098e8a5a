// What an open page asks the server between updates: GET /api/health, which answers without the database (the
// workers' heartbeats are kept outside it), so it can say "the database is down" when nothing else can.

export type TServerHealth =
  | { databaseOk: true }
  | { databaseOk: false; unreachableSince: string | null; error: string };

/** The server's word on its database; null when the server itself did not answer (within `timeoutMs`). */
export async function askServerHealth(timeoutMs = 4_000): Promise<TServerHealth | null> {
  try {
    const response = await fetch("/api/health", { cache: "no-store", signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json()) as {
      error?: unknown;
      database?: { ok?: unknown; unreachableSince?: unknown; error?: unknown };
    };
    if (body.database?.ok === true) return { databaseOk: true };
    if (body.database?.ok === false) {
      return {
        databaseOk: false,
        unreachableSince: typeof body.database.unreachableSince === "string" ? body.database.unreachableSince : null,
        error: typeof body.error === "string" ? body.error : "Preflight's database is unreachable",
      };
    }
    return null;
  } catch {
    return null;
  }
}
