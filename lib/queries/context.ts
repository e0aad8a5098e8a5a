import { getConfig } from "../config/current";
import type { TConfig } from "../config/schema";
import { getPrisma } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";

/** What every read in lib/queries takes: the database, the configuration in force, and the time to read at. */
export type TQueryContext = { prisma: PrismaClient; config: TConfig; now: Date };

/** The context of a request or a worker tick: this process's client and configuration, read at `now`. */
export function queryContext(now = new Date()): TQueryContext {
  return { prisma: getPrisma(), config: getConfig().config, now };
}
