import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { withAuditAnchors } from "../audit/anchor-hook";
import { defaultAnchorSink, type TAnchorSink } from "../audit/anchor-sink";
import { PrismaClient } from "../generated/prisma/client";
import { getDatabaseTarget, poolSizeFor } from "./connection";

const globalForPrisma = globalThis as unknown as { preflightPrisma?: PrismaClient };
// The pool rides on the client itself, under a registered symbol: the production build bundles this module more than
// once (instrumentation, routes, pages), and a module-level map in one copy would not know another copy's clients.
const POOL = Symbol.for("preflight.pgPool");

/**
 * A Prisma client over a `pg` pool that this module owns, so the hot write path (lib/history/write-batch.ts)
 * can use the same connections without Prisma's per-statement overhead. On the embedded database the pool
 * has one connection, which Prisma and the raw writes then share in turn. Every audit entry the client commits is
 * anchored outside the database (lib/audit/anchor-hook.ts), by default in the data directory's anchor file.
 */
export function createPrismaClient(
  url: string,
  poolMax: number,
  options: { anchorSink?: TAnchorSink } = {},
): PrismaClient {
  // A database that does not answer must fail a query within seconds (pages say so, lib/db/outage.ts), not hold
  // it: 3 s to connect is ample for a server that is up; keep-alive notices a peer that vanished without a word.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: 3_000,
    keepAlive: true,
    allowExitOnIdle: true,
  });
  // A connection dropped by the server (restart, outage) is reported on the query that used it. pg emits
  // the loss on the client too, and a client checked out at that moment (by Prisma or by the batch writer)
  // has no listener of the pool's: without these it would be an uncaught exception.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
  });
  const client = new PrismaClient({
    adapter: withAuditAnchors(new PrismaPg(pool), options.anchorSink ?? defaultAnchorSink),
  });
  Object.defineProperty(client, POOL, { value: pool });
  return client;
}

/** The pool under a client made by createPrismaClient. */
export function getPool(prisma: PrismaClient): pg.Pool | null {
  const pool: unknown = Reflect.get(prisma, POOL);
  return typeof pool === "object" && pool !== null && "connect" in pool ? (pool as pg.Pool) : null;
}

/** The process's one Prisma client, kept on globalThis so hot reloads and repeated imports share it. */
export function getPrisma(): PrismaClient {
  if (!globalForPrisma.preflightPrisma) {
    const target = getDatabaseTarget();
    globalForPrisma.preflightPrisma = createPrismaClient(target.url, poolSizeFor(target));
  }
  return globalForPrisma.preflightPrisma;
}
