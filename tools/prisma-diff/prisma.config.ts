// Prisma 6.19 config used only by tools/prisma-diff (loaded with `prisma --config` from this folder,
// so `prisma/config` here is the workspace's own prisma 6.19.3, not the app's Prisma 7).
// The early-access JS schema engine (`engine: "js"` + a driver adapter) is what lets
// `prisma migrate diff` run offline: no Rust schema engine binary is downloaded or needed.
import { defineConfig } from "prisma/config";
import { throwawayPGliteAdapterFactory } from "./pglite-adapter.mjs";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  // The temporary Prisma-6 copy of the app schema, written by prisma-diff.mjs.
  schema: process.env.PRISMA_DIFF_SCHEMA,
  async adapter() {
    return throwawayPGliteAdapterFactory();
  },
});
