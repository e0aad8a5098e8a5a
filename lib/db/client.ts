import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { getDatabaseTarget, poolSizeFor } from "./connection";

const globalForPrisma = globalThis as unknown as { preflightPrisma?: PrismaClient };

export function createPrismaClient(url: string, poolMax: number): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max: poolMax, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter });
}

/** The process's one Prisma client, kept on globalThis so hot reloads and repeated imports share it. */
export function getPrisma(): PrismaClient {
  if (!globalForPrisma.preflightPrisma) {
    const target = getDatabaseTarget();
    globalForPrisma.preflightPrisma = createPrismaClient(target.url, poolSizeFor(target));
  }
  return globalForPrisma.preflightPrisma;
}
