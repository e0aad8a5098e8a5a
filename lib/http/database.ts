import { unstable_rethrow } from "next/navigation";
import {
  confirmDatabaseOutage,
  explainFailure,
  DATABASE_RETRY_AFTER_S,
  describeDatabaseOutage,
  type TDatabaseOutage,
} from "../db/outage";
import { getLogger } from "../logger";
import { API_HEADERS } from "./json";

// Every route handler answers a database outage the same way: 503, a JSON reason, Retry-After. Not a 500 with an
// empty body (what a pipeline's gate then reads as "Preflight is broken"), and not a stale figure.

/** The answer of every API while the database does not answer. */
export function databaseUnavailable(outage: TDatabaseOutage): Response {
  return Response.json(
    { error: describeDatabaseOutage(outage), unreachableSince: outage.since },
    { status: 503, headers: { ...API_HEADERS, "retry-after": String(DATABASE_RETRY_AFTER_S) } },
  );
}

/**
 * Wraps a route handler: while the database does not answer (one ping a second per process at most, shared by every
 * request), the handler does not run at all: a session or token lookup on a dead database must not read as "401,
 * sign in". When it throws, or answers 5xx, and a ping then finds the database not answering, the answer is the
 * 503 above. Anything else (a bug) stays what it was.
 */
export function withDatabase<TArgs extends unknown[]>(
  handler: (request: Request, ...rest: TArgs) => Promise<Response>,
) {
  return async (request: Request, ...rest: TArgs): Promise<Response> => {
    const known = await confirmDatabaseOutage();
    if (known) return databaseUnavailable(known);
    let response: Response;
    try {
      response = await handler(request, ...rest);
    } catch (error) {
      unstable_rethrow(error);
      const outage = await explainFailure();
      if (!outage) throw error;
      getLogger().warn(
        { path: new URL(request.url).pathname, err: outage.error },
        "database unreachable: answered 503",
      );
      return databaseUnavailable(outage);
    }
    if (response.status >= 500) {
      const outage = await explainFailure();
      if (outage) {
        await response.body?.cancel().catch(() => undefined);
        return databaseUnavailable(outage);
      }
    }
    return response;
  };
}
