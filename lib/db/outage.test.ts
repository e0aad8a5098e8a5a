import { describe, expect, it } from "vitest";
import type { PrismaClient } from "../generated/prisma/client";
import { checkDatabase, confirmDatabaseOutage, explainFailure, knownDatabaseOutage } from "./outage";

/** A client whose `SELECT 1` answers or is refused as the test says, counting the pings. */
function fakeDatabase() {
  const db = { up: true, pings: 0 };
  const prisma = {
    $queryRaw: async () => {
      db.pings += 1;
      if (!db.up) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      return [{ "?column?": 1 }];
    },
  } as unknown as PrismaClient;
  return { db, prisma };
}

describe("the database verdict", () => {
  it("is shared for a second: a burst of requests costs one ping", async () => {
    const { db, prisma } = fakeDatabase();
    expect(await confirmDatabaseOutage(prisma)).toBeNull();
    expect(await confirmDatabaseOutage(prisma)).toBeNull();
    expect(await knownDatabaseOutage(prisma)).toBeNull();
    expect(db.pings).toBe(1);
  });

  it("after a failure, a recent 'it answers' does not count: the database that went a moment ago reads as an outage", async () => {
    const { db, prisma } = fakeDatabase();
    expect(await confirmDatabaseOutage(prisma)).toBeNull();
    db.up = false;
    // Within the second the verdict stands, a plain confirmation still says "answers"...
    expect(await confirmDatabaseOutage(prisma)).toBeNull();
    // ...but a query just failed: asked again, the outage, with the driver's reason.
    const outage = await explainFailure(prisma);
    expect(outage).toMatchObject({ error: "connect ECONNREFUSED 127.0.0.1:5432" });
    expect(db.pings).toBe(2);
    // Known to be down: further failures reuse that verdict for its second, no ping each.
    expect(await explainFailure(prisma)).toMatchObject({ since: outage?.since });
    expect(db.pings).toBe(2);
  });

  it("after a failure while the database answers, it is a bug: no outage, and the ping says so", async () => {
    const { db, prisma } = fakeDatabase();
    expect(await explainFailure(prisma)).toBeNull();
    expect(await explainFailure(prisma)).toBeNull();
    expect(db.pings).toBe(2);
  });

  it("recovers on the first ping that answers, and keeps when the outage began", async () => {
    const { db, prisma } = fakeDatabase();
    db.up = false;
    const first = await checkDatabase(prisma, Date.now(), { fresh: true });
    expect(first.outage).not.toBeNull();
    const again = await checkDatabase(prisma, Date.now(), { fresh: true });
    expect(again.outage?.since).toBe(first.outage?.since);
    db.up = true;
    expect((await checkDatabase(prisma, Date.now(), { fresh: true })).outage).toBeNull();
    expect(await knownDatabaseOutage(prisma)).toBeNull();
  });
});
