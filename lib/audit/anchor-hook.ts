import { randomBytes } from "node:crypto";
import type { SqlDriverAdapterFactory } from "@prisma/client/runtime/client";
import type { TAnchor } from "./anchor";
import type { TAnchorSink } from "./anchor-sink";

// How an audit entry reaches its anchor only once its transaction has committed. appendAudit runs inside the
// caller's transaction and cannot see the commit, so it offers the entry's anchor under a one-time marker that opens
// the SQL of its INSERT. The Prisma client's driver adapter (wrapped here, in lib/db/client.ts) sees that statement
// on the transaction that runs it, keeps the anchor with that transaction, and hands it to the sink after COMMIT
// succeeds; a rollback, or a COMMIT of a transaction that had already failed (PostgreSQL then rolls back without an
// error), drops it. An INSERT outside a transaction commits by itself, so it is anchored at once.

type TAdapter = Awaited<ReturnType<SqlDriverAdapterFactory["connect"]>>;
type TTransaction = Awaited<ReturnType<TAdapter["startTransaction"]>>;
type TQuery = Parameters<TAdapter["queryRaw"]>[0];

const PREFIX = "/* preflight:audit-anchor ";
const NONCE = /^[0-9a-f]{32}$/;

type TOffer = { anchor: TAnchor; taken: boolean };
// On globalThis: Next.js loads route modules separately, and an entry appended by one copy of this module runs on a
// client wrapped by another.
const store = globalThis as unknown as { preflightAuditAnchorOffers?: Map<string, TOffer> };
const offers = (store.preflightAuditAnchorOffers ??= new Map<string, TOffer>());

export type TAnchorOffer = {
  /** Put first in the SQL of the statement that inserts the entry. */
  marker: string;
  /** Whether an anchoring client ran the statement (after it ran). */
  taken: () => boolean;
  withdraw: () => void;
};

export function offerAnchor(anchor: TAnchor): TAnchorOffer {
  const nonce = randomBytes(16).toString("hex");
  const offer: TOffer = { anchor, taken: false };
  offers.set(nonce, offer);
  return { marker: `${PREFIX}${nonce} */`, taken: () => offer.taken, withdraw: () => offers.delete(nonce) };
}

function markedNonce(sql: string): string | null {
  if (!sql.startsWith(PREFIX)) return null;
  const nonce = sql.slice(PREFIX.length, PREFIX.length + 32);
  return NONCE.test(nonce) ? nonce : null;
}

function take(nonce: string): TAnchor | null {
  const offer = offers.get(nonce);
  if (!offer || offer.taken) return null;
  offer.taken = true;
  offers.delete(nonce);
  return offer.anchor;
}

/** `target` with some methods replaced; the others bound to it (the adapter's classes use `this`). */
function override<T extends object>(target: T, replaced: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(replaced, key)) return (replaced as Record<PropertyKey, unknown>)[key];
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

/** Runs a statement; when it carries an anchor's marker and succeeded, passes the anchor on. */
async function run<R>(
  query: TQuery,
  execute: (query: TQuery) => Promise<R>,
  found: (anchor: TAnchor) => void,
): Promise<R> {
  const nonce = markedNonce(query.sql);
  const result = await execute(query);
  if (nonce !== null) {
    const anchor = take(nonce);
    if (anchor) found(anchor);
  }
  return result;
}

function deliver(sink: TAnchorSink, anchors: readonly TAnchor[]): void {
  if (anchors.length === 0) return;
  try {
    sink(anchors);
  } catch {
    // The sink reports its own failures; nothing may undo a commit that has happened.
  }
}

function anchoringTransaction(tx: TTransaction, sink: TAnchorSink): TTransaction {
  let held: TAnchor[] = [];
  const hold = (anchor: TAnchor) => held.push(anchor);
  const statement = async <R>(query: TQuery, execute: (query: TQuery) => Promise<R>): Promise<R> => {
    if (query.sql === "COMMIT" && held.length > 0) {
      // A transaction in which a statement failed (and the caller caught it) is rolled back by COMMIT, silently.
      try {
        await tx.queryRaw({ sql: "SELECT 1", args: [], argTypes: [] });
      } catch {
        held = [];
      }
    }
    return run(query, execute, hold);
  };
  return override(tx, {
    queryRaw: (query) => statement(query, (q) => tx.queryRaw(q)),
    executeRaw: (query) => statement(query, (q) => tx.executeRaw(q)),
    commit: async () => {
      await tx.commit();
      const anchors = held;
      held = [];
      deliver(sink, anchors);
    },
    rollback: async () => {
      held = [];
      await tx.rollback();
    },
  });
}

function anchoringAdapter(adapter: TAdapter, sink: TAnchorSink): TAdapter {
  const now = (anchor: TAnchor) => deliver(sink, [anchor]);
  return override(adapter, {
    queryRaw: (query) => run(query, (q) => adapter.queryRaw(q), now),
    executeRaw: (query) => run(query, (q) => adapter.executeRaw(q), now),
    startTransaction: async (isolationLevel) =>
      anchoringTransaction(await adapter.startTransaction(isolationLevel), sink),
  });
}

/** A driver adapter factory whose clients anchor the audit entries they commit, through `sink`. */
export function withAuditAnchors<F extends SqlDriverAdapterFactory>(factory: F, sink: TAnchorSink): F {
  return override(factory, { connect: async () => anchoringAdapter(await factory.connect(), sink) } as Partial<F>);
}
