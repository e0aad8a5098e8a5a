import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Server-only packages with native sockets or worker threads: load them from node_modules at run time
  // instead of bundling them.
  serverExternalPackages: [
    "pg",
    "ioredis",
    "pino",
    "pino-pretty",
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "playwright-core",
  ],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // The evidence upload forms send a report of up to 10 MB (evidence.maxUploadBytes' default) plus a few fields.
    serverActions: { bodySizeLimit: "11mb" },
    // forbidden(): a signed-in person without the permission gets a 403 page (app/forbidden.tsx).
    authInterrupts: true,
  },
};

export default nextConfig;
