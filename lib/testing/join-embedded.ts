import pg from "pg";
import { attachOrStartEmbeddedDatabase } from "../db/embedded";

// A second process of one installation, as `npm run worker` or a CLI command is: joins the embedded database that
// another process serves for the data directory given as argument, runs a query, and prints what it found as JSON.

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: join-embedded.ts <data dir>");
const db = await attachOrStartEmbeddedDatabase(dataDir);
const client = new pg.Client({ connectionString: db.url });
await client.connect();
const { rows } = await client.query<{ answer: number }>("SELECT 41 + 1 AS answer");
await client.end();
await db.stop();
process.stdout.write(
  `${JSON.stringify({ owned: db.owned, url: db.url, socketPath: db.socketPath, answer: rows[0]?.answer ?? null })}\n`,
);
