// A migrate-capable driver-adapter factory for Prisma 6.19's early-access JS schema engine
// (`engine: "js"` in prisma.config.ts) that needs no database server: every connection the
// schema engine asks for (`connect` for the "main" database, `connectToShadowDb` for the
// shadow database it replays prisma/migrations into) is a fresh, throwaway, in-memory PGlite
// served over the PostgreSQL wire protocol by @electric-sql/pglite-socket on a random port.
//
// Pins (see package.json): PGlite 0.4.3 (PostgreSQL 17) + pglite-socket 0.1.3. The 6.19 schema
// engine crashes on PGlite 0.5.x (PostgreSQL 18), which is what the app itself uses.
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// Workaround for prisma/orm#27403: @prisma/adapter-pg 6.x cannot map some PostgreSQL catalog
// types that the schema engine's introspection queries return, and fails with
// "Column type 'name' could not be deserialized". We make those columns look like text (25), and
// name[] / "char"[] look like text[] (1009), both in the type parser pg uses for the row values
// and in the field metadata the adapter reads afterwards.
const AS_TEXT = new Set([
  18, // "char"
  19, // name
  22, // int2vector
  24, // regproc
  30, // oidvector
  194, // pg_node_tree
  2205, // regclass
]);
const AS_TEXT_ARRAY = new Set([
  1002, // "char"[]
  1003, // name[]
]);
const remapOid = (oid) => (AS_TEXT.has(oid) ? 25 : AS_TEXT_ARRAY.has(oid) ? 1009 : oid);

function remapFields(result) {
  for (const r of Array.isArray(result) ? result : [result]) {
    if (r?.fields)
      r.charColumns = r.fields
        .filter((field) => field.dataTypeID === 18 && CHAR_COLUMNS.has(field.name))
        .map((field) => field.name);
    for (const field of r?.fields ?? []) field.dataTypeID = remapOid(field.dataTypeID);
  }
  return result;
}

// Workaround for the same gap, the other way round: the describer reads pg_constraint.contype (a "char") as a
// character (get_expect_char in its CHECK and EXCLUDE constraint query), and panics on the text that the remapping
// above makes of it ("RuntimeError: unreachable"), as soon as a migration has such a constraint. For the columns named
// here (those it reads so), the result's column type is the adapter's Character, which it hands on as a char.
const CHAR_COLUMNS = new Set(["constraint_type"]);
const CHARACTER_COLUMN_TYPE = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils 6.19

function deliverCharColumns(adapter) {
  let proto = Object.getPrototypeOf(adapter);
  while (proto && !Object.hasOwn(proto, "queryRaw")) proto = Object.getPrototypeOf(proto);
  if (!proto || !Object.hasOwn(proto, "performIO") || proto.charColumnsDelivered) return;
  proto.charColumnsDelivered = true;
  const { performIO, queryRaw } = proto;
  // One query at a time per queryable (the pool holds one connection), so the last result's columns are this query's.
  proto.performIO = async function (query) {
    const result = await performIO.call(this, query);
    this.lastCharColumns = result?.charColumns ?? [];
    return result;
  };
  proto.queryRaw = async function (query) {
    const out = await queryRaw.call(this, query);
    for (const name of this.lastCharColumns ?? []) {
      const index = out.columnNames.indexOf(name);
      if (index >= 0) out.columnTypes[index] = CHARACTER_COLUMN_TYPE;
    }
    return out;
  };
}

// A pg.Client whose query() applies the remapping. The pool (and so the adapter, which queries
// through the pool or through a pooled client for transactions) uses it via the `Client` option.
class CatalogTypesAsTextClient extends pg.Client {
  query(...args) {
    const config = args[0];
    if (config && typeof config === "object" && typeof config.submit !== "function" && config.types?.getTypeParser) {
      const { getTypeParser } = config.types;
      args[0] = { ...config, types: { getTypeParser: (oid, format) => getTypeParser(remapOid(oid), format) } };
    }
    const cbIndex = args.findIndex((a) => typeof a === "function");
    if (cbIndex >= 0) {
      const cb = args[cbIndex];
      args[cbIndex] = (err, res) => cb(err, err ? res : remapFields(res));
      return super.query(...args);
    }
    const ret = super.query(...args);
    return ret && typeof ret.then === "function" ? ret.then(remapFields) : ret;
  }
}

// Each PGlite start leaves a ref'd 10 s setTimeout behind: emscripten's setitimer() for a Postgres
// timeout armed while it starts (Postgres leaves a disarmed timeout to fire and be ignored; it is armed
// before the startParams apply, so `-c log_startup_progress_interval=0` does not avoid it). The schema
// engine never disposes its main connection, so that PGlite is never closed, and the Prisma CLI, which
// waits for the event loop to drain when the diff is empty, would linger those 10 s. Unref just those
// timers (the ones whose callback is emscripten's itimer callback), in this process only: the Prisma CLI
// child that prisma-diff.mjs runs.
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = Object.assign(function setTimeout(callback, ...rest) {
  const timer = realSetTimeout(callback, ...rest);
  if (typeof callback === "function" && String(callback).includes("_emscripten_timeout")) timer.unref();
  return timer;
}, realSetTimeout);

// One throwaway database: in-memory PGlite + socket server on 127.0.0.1:<random port> + a
// @prisma/adapter-pg adapter over a one-connection pg pool (pglite-socket serves one connection per
// server and PGlite runs one query at a time). The server is unref()'d and the pool may exit on idle,
// so nothing here keeps the Prisma CLI process alive once it is done.
async function throwawayDatabase() {
  // The migrations create btree_gist (state_period's exclusion constraint), as the app's embedded PGlite loads it.
  const db = new PGlite({ extensions: { btree_gist } });
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0 });
  await server.start();
  // `server` is private in the typings, but it is the net.Server. Unref it and the server side of each
  // accepted connection: otherwise, since the schema engine never disposes its main (non-shadow)
  // connection, the CLI would linger until pg's idle timeout (10 s) closes that connection.
  server.server?.unref();
  server.server?.on("connection", (socket) => socket.unref());
  const port = Number(server.getServerConn().split(":").pop());
  const factory = new PrismaPg({
    host: "127.0.0.1",
    port,
    user: "postgres",
    password: "postgres",
    database: "postgres",
    max: 1,
    allowExitOnIdle: true,
    Client: CatalogTypesAsTextClient,
  });
  const adapter = await factory.connect();
  deliverCharColumns(adapter);
  const release = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await release().catch(() => {});
    await server.stop().catch(() => {});
    await db.close().catch(() => {});
  };
  return adapter;
}

// The factory prisma.config.ts returns from `adapter()`. It implements connectToShadowDb itself:
// PrismaPg's own version creates the shadow database on the main connection and then connects with
// `{...config, database}`, which (a) goes to the main database anyway when a connectionString is
// used, since pg lets connectionString win, and (b) drops the shadow database before closing its pool
// ("is being accessed by other users"). A separate PGlite has neither problem.
export function throwawayPGliteAdapterFactory() {
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: throwawayDatabase,
    connectToShadowDb: throwawayDatabase,
  };
}
