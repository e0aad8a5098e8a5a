import { z } from "zod";

export type Sample = { labels: Record<string, string>; value: number };
export type QueryResult = { ok: true; samples: Sample[] } | { ok: false; reason: string };

const ZResponse = z.object({
  status: z.enum(["success", "error"]),
  error: z.string().optional(),
  data: z
    .object({
      resultType: z.string(),
      result: z.union([
        z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
        z.tuple([z.number(), z.string()]),
      ]),
    })
    .optional(),
});

/**
 * An instant PromQL query. Every way it can fail (unreachable, slow, an error from Prometheus, an answer
 * that is not Prometheus's) comes back as a reason to show, never as an exception.
 */
export async function queryPrometheus(baseUrl: string, query: string, timeoutMs = 5_000): Promise<QueryResult> {
  const url = new URL("api/v1/query", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  url.searchParams.set("query", query);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), cache: "no-store" });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if ((error as Error).name === "TimeoutError")
      return { ok: false, reason: `Prometheus did not answer within ${timeoutMs} ms` };
    return { ok: false, reason: `Prometheus unreachable${cause ? ` (${cause})` : ""}` };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, reason: `Prometheus answered HTTP ${response.status} with no JSON` };
  }
  const parsed = ZResponse.safeParse(body);
  if (!parsed.success) return { ok: false, reason: `not a Prometheus query response (HTTP ${response.status})` };
  if (parsed.data.status === "error") return { ok: false, reason: `Prometheus: ${parsed.data.error ?? "error"}` };
  const result = parsed.data.data?.result ?? [];
  const samples: Sample[] =
    Array.isArray(result[0]) || typeof result[0] === "number"
      ? [{ labels: {}, value: Number((result as [number, string])[1]) }]
      : (result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => ({
          labels: r.metric,
          value: Number(r.value[1]),
        }));
  return { ok: true, samples: samples.filter((s) => Number.isFinite(s.value)) };
}

export type ObservedQueryResult = QueryResult & { at: Date };

/** How long one answer stands for a query: Prometheus' own evaluation cadence, so every page reads the same value. */
export const PROMQL_FRESH_MS = 15_000;

type TCacheEntry = { at: number; result: Promise<ObservedQueryResult> };
const globalForPromql = globalThis as unknown as { preflightPromqlCache?: Map<string, TCacheEntry> };
const cache = (globalForPromql.preflightPromqlCache ??= new Map<string, TCacheEntry>());

/**
 * The one read of a PromQL fact: one query per (Prometheus, query) per cadence, shared by the scorecard, the
 * baselines, the report and the API, so a figure read by two of them at once is the same figure with the same
 * time. Concurrent readers wait for one request.
 */
export function getPromqlValue(baseUrl: string, query: string, now = Date.now()): Promise<ObservedQueryResult> {
  const key = `${baseUrl}\u0000${query.trim()}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < PROMQL_FRESH_MS) return hit.result;
  const result = queryPrometheus(baseUrl, query).then((r) => ({ ...r, at: new Date(now) }));
  cache.set(key, { at: now, result });
  if (cache.size > 1_000) cache.delete(cache.keys().next().value ?? key);
  return result;
}

export function clearPromqlCache(): void {
  cache.clear();
}
