import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { createTestDatabase } from "../lib/testing/database";

// Cross-site request forgery, route by route: every route handler under app/ that exports a state-changing method
// has a row below, found on disk, so a new one without a row fails here. A row either checks the Origin (then a
// request from another port of the same host, with a real session cookie, is refused 403 naming that origin and
// changes nothing, while the same request from the app's own origin is let through to the handler), or is exempt
// for a stated reason that is itself asserted. Server actions have Next's own check, asserted at the end.

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const savedEnv = { ...process.env };
const dataDir = mkdtempSync(join(tmpdir(), "pf-origin-"));
const database = await createTestDatabase("pf_origin");
Object.assign(process.env, {
  DATABASE_URL: database.url,
  PREFLIGHT_CONFIG: join(ROOT, "preflight.config.yaml"),
  PREFLIGHT_EMBEDDED_WORKER: "false",
  REDIS_URL: "",
  PREFLIGHT_AUTH_SECRET: randomBytes(30).toString("base64url"),
  PREFLIGHT_DATA_DIR: dataDir,
  PORT: "3997",
  LOG_LEVEL: "silent",
});
delete process.env.PREFLIGHT_PUBLIC_URL;
delete process.env.PREFLIGHT_DEMO_CONTROL_URL;
const HOST = "localhost:3997";
const ORIGIN = `http://${HOST}`;
/** Same host, another port: same-site, so a SameSite=Lax session cookie goes along. */
const ELSEWHERE = "http://localhost:9999";

const { getPrisma } = await import("../lib/db/client");
const { getAuth } = await import("../lib/auth/auth");
const { insertUser } = await import("../lib/services/users/schema");
const { ownOrigins } = await import("../lib/http/origin");

type THandler = (request: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type TRequest = { path: string; params?: Record<string, string>; body?: string; headers?: Record<string, string> };

type TRow =
  | {
      checks: "origin";
      request: TRequest;
      /** Whether the handler went on to do its work for this session (that the check let it through). */
      acted: (cookie: string) => Promise<boolean>;
    }
  | {
      exempt: string;
      request: TRequest /** What a forged request with the session cookie gets instead. */;
      status: number;
    };

const MUTATING = ["POST", "PUT", "PATCH", "DELETE"];
const PASSWORD = "correct horse battery staple";
const JUNIT = `<testsuite name="unit"><testcase name="a"/></testsuite>`;

let prisma: PrismaClient;
let adminEmail = "";

/** A fresh real session of the admin: the cookie a signed-in browser sends. */
async function sessionCookie(): Promise<string> {
  const response = await getAuth().api.signInEmail({
    body: { email: adminEmail, password: PASSWORD },
    asResponse: true,
  });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .find((c) => c.startsWith("better-auth.session_token="));
  if (!cookie) throw new Error(`sign-in failed: HTTP ${response.status}`);
  return cookie;
}

const sessionToken = (cookie: string) => decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1)).split(".")[0] ?? "";
const probeNowAt = () => (globalThis as { preflightProbeNowAt?: Map<string, number> }).preflightProbeNowAt;

const ROWS: Record<string, TRow> = {
  // Sign-out and password changes act on the session cookie; better-auth checks too (trustedOrigins, same origins).
  "app/api/auth/[...all]/route.ts#POST": {
    checks: "origin",
    request: { path: "/api/auth/sign-out", body: "{}", headers: { "content-type": "application/json" } },
    acted: async (cookie) => (await prisma.session.count({ where: { token: sessionToken(cookie) } })) === 0,
  },
  "app/api/v1/components/[id]/probe/route.ts#POST": {
    checks: "origin",
    request: { path: "/api/v1/components/api/probe", params: { id: "api" } },
    // No worker runs here: a probe let through is asked for (and rate-limited) and then answered 503.
    acted: async () => probeNowAt()?.has("api") ?? false,
  },
  "app/api/v1/evidence/junit/route.ts#POST": {
    exempt: "bearer-token only: authenticate() reads the Authorization header, a session cookie grants nothing",
    request: {
      path: "/api/v1/evidence/junit?suite=unit&kind=unit",
      body: JUNIT,
      headers: { "content-type": "application/xml" },
    },
    status: 401,
  },
  "app/api/v1/evidence/k6/route.ts#POST": {
    exempt: "bearer-token only: authenticate() reads the Authorization header, a session cookie grants nothing",
    request: {
      path: "/api/v1/evidence/k6?test=k6-baseline",
      body: "{}",
      headers: { "content-type": "application/json" },
    },
    status: 401,
  },
  "app/api/v1/evidence/chaos/route.ts#POST": {
    exempt: "bearer-token only: authenticate() reads the Authorization header, a session cookie grants nothing",
    request: { path: "/api/v1/evidence/chaos", body: "{}", headers: { "content-type": "application/json" } },
    status: 401,
  },
  "app/api/v1/evidence/attestations/route.ts#POST": {
    exempt: "bearer-token only: authenticate() reads the Authorization header, a session cookie grants nothing",
    request: { path: "/api/v1/evidence/attestations", body: "{}", headers: { "content-type": "application/json" } },
    status: 401,
  },
  "app/api/v1/evidence/sarif/route.ts#POST": {
    exempt: "bearer-token only: authenticate() reads the Authorization header, a session cookie grants nothing",
    request: {
      path: "/api/v1/evidence/sarif?project=app",
      body: "{}",
      headers: { "content-type": "application/sarif+json" },
    },
    status: 401,
  },
  "app/api/v1/evidence/sbom/route.ts#POST": {
    exempt: "bearer-token only: authenticate() reads the Authorization header, a session cookie grants nothing",
    request: {
      path: "/api/v1/evidence/sbom?project=app",
      body: "{}",
      headers: { "content-type": "application/vnd.cyclonedx+json" },
    },
    status: 401,
  },
  "app/api/v1/evidence/manifests/route.ts#POST": {
    exempt: "bearer-token only: authenticate() reads the Authorization header, a session cookie grants nothing",
    request: {
      path: "/api/v1/evidence/manifests?project=app",
      body: "kind: x",
      headers: { "content-type": "application/yaml" },
    },
    status: 401,
  },
  "app/api/v1/evidence/compose/route.ts#POST": {
    exempt: "bearer-token only: authenticate() reads the Authorization header, a session cookie grants nothing",
    request: {
      path: "/api/v1/evidence/compose?project=app",
      body: "services: {}",
      headers: { "content-type": "application/yaml" },
    },
    status: 401,
  },
  "app/api/v1/releases/[release]/deployed/route.ts#POST": {
    exempt: "bearer-token only: authenticate() reads the Authorization header, a session cookie grants nothing",
    request: {
      path: "/api/v1/releases/v1/deployed",
      params: { release: "v1" },
      body: "{}",
      headers: { "content-type": "application/json" },
    },
    status: 401,
  },
  "app/api/v1/statements/route.ts#POST": {
    exempt: "bearer-token only: authenticate() reads the Authorization header, a session cookie grants nothing",
    request: {
      path: "/api/v1/statements",
      body: JSON.stringify({ name: "image", digest: `sha256:${"ab".repeat(32)}` }),
      headers: { "content-type": "application/json" },
    },
    status: 401,
  },
  "app/api/v1/evidence/coverage/route.ts#POST": {
    exempt: "bearer-token only: authenticate() reads the Authorization header, a session cookie grants nothing",
    request: {
      path: "/api/v1/evidence/coverage?project=app",
      body: "<coverage/>",
      headers: { "content-type": "application/xml" },
    },
    status: 401,
  },
};

// --- the routes, found on disk ---

function listRoutes(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listRoutes(path) : /^route\.(ts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

const handlers = new Map<string, THandler>();
for (const path of listRoutes(join(ROOT, "app"))) {
  const key = relative(ROOT, path).split(sep).join("/");
  const exported = (await import(/* @vite-ignore */ path)) as Record<string, unknown>;
  for (const [name, value] of Object.entries(exported)) {
    if (MUTATING.includes(name) && typeof value === "function") handlers.set(`${key}#${name}`, value as THandler);
  }
  if (!basename(path).startsWith("route.")) throw new Error(`not a route file: ${path}`);
}

// --- the database, every table of it ---

async function snapshotTables(): Promise<Record<string, string>> {
  const tables = await prisma.$queryRaw<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`;
  const query = tables
    .map(
      ({ name }) =>
        `SELECT '${name}' AS name, count(*)::int || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS digest FROM "${name}" t`,
    )
    .join(" UNION ALL ");
  const rows = await prisma.$queryRawUnsafe<{ name: string; digest: string }[]>(query);
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

async function changedTables(run: () => Promise<unknown>): Promise<string[]> {
  const before = await snapshotTables();
  await run();
  const after = await snapshotTables();
  return Object.keys({ ...before, ...after }).filter((name) => before[name] !== after[name]);
}

async function send(
  key: string,
  input: TRequest,
  headers: Record<string, string>,
): Promise<{ status: number; error: string }> {
  const handler = handlers.get(key);
  if (!handler) throw new Error(`no handler ${key}`);
  const request = new Request(`${ORIGIN}${input.path}`, {
    method: key.split("#")[1],
    headers: { host: HOST, ...input.headers, ...headers },
    body: input.body ?? null,
  });
  const response = await handler(request, { params: Promise.resolve(input.params ?? {}) });
  const text = await response.text();
  let error = text;
  try {
    error = String((JSON.parse(text) as { error?: unknown }).error ?? "");
  } catch {
    // not JSON
  }
  return { status: response.status, error };
}

const forgetProbeRateLimit = () => void delete (globalThis as { preflightProbeNowAt?: unknown }).preflightProbeNowAt;

beforeAll(async () => {
  prisma = getPrisma();
  adminEmail = `admin-${randomBytes(3).toString("hex")}@origin.test`;
  await prisma.$transaction((tx) =>
    insertUser(tx, { email: adminEmail, name: "Origin admin", role: "admin", password: PASSWORD, signOffRoles: [] }),
  );
});

afterAll(async () => {
  await prisma?.$disconnect();
  for (const key of ["preflightPrisma", "preflightAuth", "preflightEnv", "preflightConfig", "preflightProbeNowAt"])
    delete (globalThis as Record<string, unknown>)[key];
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
  process.env = savedEnv;
});

describe("the table", () => {
  it("has a row for every route handler that exports a state-changing method, and none for a route that is gone", () => {
    expect(handlers.size).toBeGreaterThanOrEqual(6);
    expect(
      [...handlers.keys()].filter((key) => !(key in ROWS)),
      "add a row to ROWS in tests/origin.integration.test.ts",
    ).toEqual([]);
    expect(Object.keys(ROWS).filter((key) => !handlers.has(key))).toEqual([]);
  });
});

for (const [key, row] of Object.entries(ROWS)) {
  describe(key, () => {
    if ("exempt" in row) {
      it(`is exempt (${row.exempt}): a cross-origin request with the session cookie gets ${row.status} and changes nothing`, async () => {
        const cookie = await sessionCookie();
        let answer = { status: 0, error: "" };
        const changed = await changedTables(
          async () => (answer = await send(key, row.request, { origin: ELSEWHERE, cookie })),
        );
        expect(answer.status, answer.error).toBe(row.status);
        expect(changed).toEqual([]);
      });
      return;
    }

    it(`refuses a request from ${ELSEWHERE} with the session cookie: 403 naming the origin, nothing changed`, async () => {
      const cookie = await sessionCookie();
      forgetProbeRateLimit();
      let answer = { status: 0, error: "" };
      const changed = await changedTables(
        async () => (answer = await send(key, row.request, { origin: ELSEWHERE, cookie })),
      );
      expect(answer.status, answer.error).toBe(403);
      expect(answer.error).toMatch(/^cross-origin request refused: /);
      expect(answer.error).toContain(ELSEWHERE);
      expect(changed).toEqual([]);
      expect(await row.acted(cookie)).toBe(false);
    });

    it("refuses a request without Origin that the browser marks cross-site", async () => {
      const cookie = await sessionCookie();
      forgetProbeRateLimit();
      let answer = { status: 0, error: "" };
      const changed = await changedTables(
        async () => (answer = await send(key, row.request, { "sec-fetch-site": "cross-site", cookie })),
      );
      expect(answer.status, answer.error).toBe(403);
      expect(answer.error).toMatch(/^cross-origin request refused: /);
      expect(changed).toEqual([]);
      expect(await row.acted(cookie)).toBe(false);
    });

    it(`lets the same request from ${ORIGIN} through to the handler`, async () => {
      const cookie = await sessionCookie();
      forgetProbeRateLimit();
      const answer = await send(key, row.request, { origin: ORIGIN, cookie, "sec-fetch-site": "same-origin" });
      expect(answer.error).not.toMatch(/cross-origin|invalid origin/i);
      expect(answer.status, answer.error).not.toBe(403);
      expect(await row.acted(cookie)).toBe(true);
    });
  });
}

describe("better-auth, behind the route's own check", () => {
  it("trusts exactly the origins the route check allows", async () => {
    const options = getAuth().options as { trustedOrigins?: unknown };
    expect(typeof options.trustedOrigins).toBe("function");
    const request = new Request(`${ORIGIN}/api/auth/sign-out`, { method: "POST", headers: { host: HOST } });
    const trusted = await (options.trustedOrigins as (r: Request) => Promise<string[]> | string[])(request);
    expect(trusted).toEqual(ownOrigins(request, undefined));
    expect(trusted).not.toContain(ELSEWHERE);
  });

  it("refuses a cross-origin sign-out by itself too, and keeps the session", async () => {
    const cookie = await sessionCookie();
    const response = await getAuth().handler(
      new Request(`${ORIGIN}/api/auth/sign-out`, {
        method: "POST",
        headers: { host: HOST, origin: ELSEWHERE, cookie, "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(response.status).toBe(403);
    expect(await prisma.session.count({ where: { token: sessionToken(cookie) } })).toBe(1);
  });
});

describe("server actions", () => {
  // Not route handlers: Next 16 itself compares a server action's Origin with X-Forwarded-Host or Host and aborts
  // the action when they differ (app-render/action-handler.js), unless serverActions.allowedOrigins widens it.
  it("keep Next's own Origin check, not widened by next.config.ts", () => {
    const require = createRequire(import.meta.url);
    const source = readFileSync(require.resolve("next/dist/server/app-render/action-handler.js"), "utf8");
    expect(/does not match \\?`origin\\?` header/.test(source), "Next's server action Origin check is gone").toBe(true);
    expect(source.includes("Invalid Server Actions request."), "Next's server action Origin check is gone").toBe(true);
    expect(readFileSync(join(ROOT, "next.config.ts"), "utf8")).not.toMatch(/allowedOrigins/);
  });
});
