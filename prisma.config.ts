import { defineConfig } from "prisma/config";

// Prisma 7 reads the connection from here, not from the schema. Only Prisma Client generation runs through
// the Prisma CLI on this project (migrations are applied by scripts/db-migrate.ts), so a placeholder URL is
// fine when DATABASE_URL is unset.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/preflight" },
});
