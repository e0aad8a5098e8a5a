import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { TActor } from "../auth/actor";
import type { PrismaClient } from "../generated/prisma/client";
import { createTestDatabase } from "../testing/database";

// GET /api/events through the route handler itself, on a real database and real better-auth sessions: a signed-in
// person's stream stays open and carries events while the session holds, and ends within ~3 s of the person being
// disabled by an admin, signed out elsewhere, or the session expiring. Only Next's request scope is replaced.

vi.mock("next/headers", () => ({
  headers: async () => new Headers(),
  cookies: async () => ({
    get: () => undefined,
    getAll: () => [],
    has: () => false,
    set: () => undefined,
    delete: () => undefined,
  }),
}));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => undefined,
}));

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const savedEnv = { ...process.env };
const dataDir = mkdtempSync(join(tmpdir(), "pf-events-"));
const database = await createTestDatabase("pf_events_stream");
Object.assign(process.env, {
  DATABASE_URL: database.url,
  PREFLIGHT_CONFIG: join(ROOT, "preflight.config.yaml"),
  PREFLIGHT_EMBEDDED_WORKER: "false",
  REDIS_URL: "",
  PREFLIGHT_AUTH_SECRET: randomBytes(30).toString("base64url"),
  PREFLIGHT_DATA_DIR: dataDir,
  PORT: "3998",
  LOG_LEVEL: "warn",
});
delete process.env.PREFLIGHT_PUBLIC_URL;

const { getPrisma } = await import("../db/client");
const { getAuth } = await import("../auth/auth");
const { getConfig } = await import("../config/current");
const { getEventBus } = await import("./current");
const { insertUser } = await import("../services/users/schema");
const { updateUser } = await import("../services/users/update-user");
const { GET } = await import("../../app/api/events/route");

const PASSWORD = "correct horse battery staple";
let prisma: PrismaClient;
let admin: TActor;
let sequence = 0;

async function signedInViewer(): Promise<{ id: string; cookie: string }> {
  sequence += 1;
  const email = `viewer-${sequence}@events.test`;
  const user = await prisma.$transaction((tx) =>
    insertUser(tx, { email, name: `Viewer ${sequence}`, role: "viewer", password: PASSWORD, signOffRoles: [] }),
  );
  const response = await getAuth().api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .find((c) => c.startsWith("better-auth.session_token="));
  if (!response.ok || !cookie) throw new Error(`sign-in of ${email} failed: HTTP ${response.status}`);
  return { id: user.id, cookie };
}

/** Opens the stream as a browser would; `closed` settles with the time the server ended it. */
async function follow(cookie: string) {
  const abort = new AbortController();
  const response = await GET(
    new Request("http://localhost:3998/api/events", { headers: { cookie }, signal: abort.signal }),
  );
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const body = response.body;
  if (!body) throw new Error("no body");
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const closed = (async () => {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return performance.now();
      text += decoder.decode(chunk.value);
    }
  })();
  const isOpenAfter = (ms: number) =>
    Promise.race([closed.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms))]);
  return { closed, isOpenAfter, text: () => text, leave: () => abort.abort() };
}

const publish = (storedAt: string) => getEventBus().publish({ type: "results", storedAt, components: [] });

beforeAll(async () => {
  prisma = getPrisma();
  const user = await prisma.$transaction((tx) =>
    insertUser(tx, { email: "admin@events.test", name: "Admin", role: "admin", password: PASSWORD, signOffRoles: [] }),
  );
  admin = { id: user.id, name: user.name, email: user.email, role: "admin", signOffRoles: [] };
});

afterAll(async () => {
  await getEventBus().close();
  await prisma?.$disconnect();
  for (const key of ["preflightPrisma", "preflightAuth", "preflightEnv", "preflightConfig", "preflightBus"])
    delete (globalThis as Record<string, unknown>)[key];
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
  process.env = savedEnv;
});

describe("GET /api/events for a person whose access ends", () => {
  it("refuses a request without a session", async () => {
    const response = await GET(new Request("http://localhost:3998/api/events"));
    expect(response.status).toBe(401);
  });

  it("keeps an active person's stream open through its re-checks, then ends it within 3 s of an admin disabling them", async () => {
    const viewer = await signedInViewer();
    const stream = await follow(viewer.cookie);
    await publish("while-active");
    // Past at least one re-check (every 2 s): still open, and the event arrived.
    expect(await stream.isOpenAfter(2_600)).toBe(true);
    expect(stream.text()).toContain("event: hello");
    expect(stream.text()).toContain('"storedAt":"while-active"');

    const result = await updateUser({ prisma, config: getConfig().config }, admin, {
      userId: viewer.id,
      role: "viewer",
      signOffRoles: [],
      disabled: true,
    });
    expect(result).toEqual({ ok: true });
    const disabledAt = performance.now();
    const closedAt = await stream.closed;
    expect(closedAt - disabledAt).toBeLessThan(3_000);
    // The browser's reconnection is refused.
    expect(
      (await GET(new Request("http://localhost:3998/api/events", { headers: { cookie: viewer.cookie } }))).status,
    ).toBe(401);
  }, 20_000);

  it("ends the stream at once when an admin disables the person, and sends nothing after the change", async () => {
    const viewer = await signedInViewer();
    const stream = await follow(viewer.cookie);
    await publish("before-disable");
    // Let the 2 s re-check pass once, so that what ends the stream below cannot be the timer's next turn.
    expect(await stream.isOpenAfter(2_100)).toBe(true);
    const result = await updateUser({ prisma, config: getConfig().config }, admin, {
      userId: viewer.id,
      role: "viewer",
      signOffRoles: [],
      disabled: true,
    });
    expect(result).toEqual({ ok: true });
    const disabledAt = performance.now();
    await publish("after-disable");
    const closedAt = await stream.closed;
    // The access-change notice, not the re-check timer (next due ~1.9 s from now), ends it.
    expect(closedAt - disabledAt).toBeLessThan(500);
    expect(stream.text()).toContain('"storedAt":"before-disable"');
    expect(stream.text()).not.toContain("after-disable");
  }, 20_000);

  it("ends the other sessions' streams at once when the person changes their password", async () => {
    const viewer = await signedInViewer();
    const email = `viewer-${sequence}@events.test`;
    const other = await getAuth().api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true });
    const otherCookie =
      other.headers
        .getSetCookie()
        .map((c) => c.split(";")[0] ?? "")
        .find((c) => c.startsWith("better-auth.session_token=")) ?? "";
    const elsewhere = await follow(otherCookie);
    const here = await follow(viewer.cookie);
    expect(await elsewhere.isOpenAfter(2_100)).toBe(true);
    const changed = await getAuth().api.changePassword({
      body: { currentPassword: PASSWORD, newPassword: `${PASSWORD} 2`, revokeOtherSessions: false },
      headers: new Headers({ cookie: viewer.cookie }),
      asResponse: true,
    });
    expect(changed.status).toBe(200);
    const changedAt = performance.now();
    expect((await elsewhere.closed) - changedAt).toBeLessThan(500);
    // The session that changed the password keeps its stream.
    expect(await here.isOpenAfter(2_500)).toBe(true);
    here.leave();
  }, 20_000);

  it("ends the stream when the session is revoked (signed out elsewhere) or expires", async () => {
    const revoked = await signedInViewer();
    const expired = await signedInViewer();
    const revokedStream = await follow(revoked.cookie);
    const expiredStream = await follow(expired.cookie);
    expect(await revokedStream.isOpenAfter(500)).toBe(true);
    const changedAt = performance.now();
    await prisma.session.deleteMany({ where: { userId: revoked.id } });
    await prisma.session.updateMany({
      where: { userId: expired.id },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    expect((await revokedStream.closed) - changedAt).toBeLessThan(3_000);
    expect((await expiredStream.closed) - changedAt).toBeLessThan(3_000);
  }, 20_000);

  it("lets the browser leave: aborting the request ends the stream", async () => {
    const viewer = await signedInViewer();
    const stream = await follow(viewer.cookie);
    stream.leave();
    expect(
      await Promise.race([
        stream.closed.then(() => "closed"),
        new Promise((resolve) => setTimeout(() => resolve("open"), 500)),
      ]),
    ).toBe("closed");
  });
});
