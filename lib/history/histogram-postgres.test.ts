import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_POSTGRES_URL } from "../testing/database";
import {
  BUCKET_SQL,
  LN_GAMMA,
  MAX_INDEX,
  MAX_RELATIVE_ERROR,
  MIN_MS,
  bucketBounds,
  bucketIndex,
  fromSamples,
  histogramFromColumns,
  mergeAllHistograms,
  quantile,
  type SparseHistogram,
} from "./histogram";
import {
  distributions,
  exactPercentileCont,
  nextDown,
  nextUp,
  relativeError,
  samplesOf,
  seededRandom,
} from "./histogram-test-support";

// Rollups bucket raw rows in SQL (BUCKET_SQL) while the app buckets in TS (bucketIndex): they must agree,
// and the stored columns must round-trip. Runs against the machine's real PostgreSQL; only reads, apart
// from one temporary table.

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
});

afterAll(async () => {
  await client.end();
});

/** BUCKET_SQL over each value, in order. */
async function sqlIndexes(values: readonly number[]): Promise<number[]> {
  const { rows } = await client.query<{ i: number }>(
    `SELECT ${BUCKET_SQL("t.x")} AS i FROM unnest($1::float8[]) WITH ORDINALITY AS t(x, n) ORDER BY t.n`,
    [values],
  );
  return rows.map((row) => row.i);
}

function agreementValues(): number[] {
  const values = [
    0,
    -0,
    Number.MIN_VALUE,
    1e-300,
    1e-10,
    MIN_MS / 2,
    nextDown(MIN_MS),
    MIN_MS,
    nextUp(MIN_MS),
    1,
    300_000,
  ];
  values.push(1e6, 5e6, 1e9, 1e300, Number.MAX_VALUE, Infinity);
  // Mathematical edges GAMMA^k * MIN_MS and two doubles either side: where ln's last-bit differences
  // between V8 and glibc would split TS from SQL without EPSILON.
  for (let k = 1; k <= MAX_INDEX; k++) {
    const x = MIN_MS * Math.exp(k * LN_GAMMA);
    values.push(nextDown(nextDown(x)), nextDown(x), x, nextUp(x), nextUp(nextUp(x)));
  }
  // Just either side of each effective (EPSILON-shifted) edge.
  for (let i = 1; i <= MAX_INDEX; i++) {
    const { lower } = bucketBounds(i);
    values.push(lower * (1 - 1e-12), lower * (1 + 1e-12));
  }
  // Round values as probes report them, and log-uniform values from 1e-4 ms to 1e8 ms.
  for (let ms = 0; ms <= 2000; ms++) values.push(ms, ms / 10, ms / 1000);
  const random = seededRandom(2024);
  for (let n = 0; n < 5000; n++) values.push(1e-4 * Math.exp(random() * Math.log(1e12)));
  return values;
}

describe("BUCKET_SQL", () => {
  it("returns a smallint", async () => {
    const { rows } = await client.query<{ type: string }>(
      `SELECT pg_typeof(${BUCKET_SQL("$1::float8")})::text AS type`,
      [12.5],
    );
    expect(rows[0]?.type).toBe("smallint");
  });

  it("computes the same index as bucketIndex for edges, extremes and random values", async () => {
    const values = agreementValues();
    expect(values.length).toBeGreaterThan(20_000);
    const sql = await sqlIndexes(values);
    expect(sql).toHaveLength(values.length);
    const mismatches = values.map((x, n) => ({ x, ts: bucketIndex(x), sql: sql[n] })).filter((m) => m.ts !== m.sql);
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it("never takes ln of 0 or a negative, even for constants the planner could fold", async () => {
    const { rows } = await client.query<{ zero: number; negative: number; param: number }>(
      `SELECT ${BUCKET_SQL("0")} AS zero, ${BUCKET_SQL("-5")} AS negative, ${BUCKET_SQL("$1::float8")} AS param`,
      [0],
    );
    expect(rows[0]).toEqual({ zero: 0, negative: 0, param: 0 });
  });

  it("casts a numeric column to double precision rather than taking numeric ln", async () => {
    const { rows } = await client.query<{ i: number }>(`SELECT ${BUCKET_SQL("$1::numeric")} AS i`, ["123.456"]);
    expect(rows[0]?.i).toBe(bucketIndex(123.456));
  });
});

describe("rollups in SQL", () => {
  it.each(Object.keys(distributions))(
    "GROUP BY BUCKET_SQL matches fromSamples, and quantiles match percentile_cont (%s)",
    async (name) => {
      const samples = samplesOf(name, 10_000, 11);
      const { rows } = await client.query<{ idx: number[]; counts: string[] }>(
        `SELECT array_agg(i ORDER BY i) AS idx, array_agg(c ORDER BY i) AS counts
         FROM (SELECT ${BUCKET_SQL("x")} AS i, count(*) AS c FROM unnest($1::float8[]) AS x GROUP BY 1) AS buckets`,
        [samples],
      );
      const h = histogramFromColumns(rows[0]?.idx ?? [], rows[0]?.counts ?? []);
      expect(h).toEqual(fromSamples(samples));

      const qs = [0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1];
      const { rows: exact } = await client.query<{ p: number[] }>(
        "SELECT percentile_cont($2::float8[]) WITHIN GROUP (ORDER BY x) AS p FROM unnest($1::float8[]) AS x",
        [samples, qs],
      );
      const sorted = [...samples].sort((a, b) => a - b);
      qs.forEach((q, n) => {
        const postgres = exact[0]?.p[n] ?? Number.NaN;
        // The TS reference is PostgreSQL's own convention...
        expect(relativeError(exactPercentileCont(sorted, q), postgres)).toBeLessThan(1e-12);
        // ...and the histogram stays within its bound of it.
        expect(relativeError(quantile(h, q) ?? Number.NaN, postgres), `q = ${q}`).toBeLessThanOrEqual(
          MAX_RELATIVE_ERROR * (1 + 1e-9),
        );
      });
    },
  );

  it("merges minute rows into an hour row in SQL exactly as mergeAllHistograms does, past 2^31", async () => {
    const random = seededRandom(3);
    const draw = distributions["log-normal"]!;
    const minutes: SparseHistogram[] = Array.from({ length: 60 }, () =>
      fromSamples(Array.from({ length: 12 }, () => draw(random))),
    );
    minutes.push({ idx: [5, MAX_INDEX], counts: [2 ** 31 + 7, 2 ** 33] }, { idx: [5], counts: [2 ** 31] });
    await client.query("CREATE TEMP TABLE minute_rows (hist_idx smallint[] NOT NULL, hist_counts bigint[] NOT NULL)");
    try {
      for (const m of minutes) await client.query("INSERT INTO minute_rows VALUES ($1, $2)", [m.idx, m.counts]);
      const { rows } = await client.query<{ idx: number[]; counts: string[] }>(
        `SELECT array_agg(i ORDER BY i) AS idx, array_agg(c ORDER BY i) AS counts
           FROM (SELECT u.i, sum(u.c)::bigint AS c FROM minute_rows, unnest(hist_idx, hist_counts) AS u(i, c) GROUP BY u.i) AS merged`,
      );
      const hour = histogramFromColumns(rows[0]?.idx ?? [], rows[0]?.counts ?? []);
      expect(hour).toEqual(mergeAllHistograms(minutes));
      expect(hour.counts[hour.idx.indexOf(5)]).toBeGreaterThan(2 ** 32);
    } finally {
      await client.query("DROP TABLE minute_rows");
    }
  });
});
