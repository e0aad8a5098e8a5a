import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/database";

// better-auth as Preflight configures it, on a real database: cookie attributes, scrypt hashes, no public sign-up,
// disabled accounts and the login throttle. The environment is set before the modules read it.

let database: TestDatabase;
let auth: Awaited<typeof import("./auth")>["getAuth"] extends () => infer A ? A : never;
let prisma: Awaited<typeof import("../db/client")>["getPrisma"] extends () => infer P ? P : never;
const PASSWORD = "a long enough password";

beforeAll(async () => {
  database = await createTestDatabase();
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    REDIS_URL: "",
    PREFLIGHT_AUTH_SECRET: "x".repeat(40),
    PREFLIGHT_PUBLIC_URL: "https://preflight.example.com",
    PREFLIGHT_DATA_DIR: mkdtempSync(join(tmpdir(), "pf-auth-")),
    PORT: "3998",
  });
  prisma = (await import("../db/client")).getPrisma();
  auth = (await import("./auth")).getAuth();
  const { insertUser } = await import("../services/users/schema");
  await prisma.$transaction(async (tx) => {
    await insertUser(tx, {
      email: "ada@example.com",
      name: "Ada",
      role: "admin",
      password: PASSWORD,
      signOffRoles: [],
    });
    await insertUser(tx, {
      email: "dis@example.com",
      name: "Dis",
      role: "viewer",
      password: PASSWORD,
      signOffRoles: [],
    });
    await insertUser(tx, {
      email: "tia@example.com",
      name: "Tia",
      role: "viewer",
      password: PASSWORD,
      signOffRoles: [],
    });
  });
  await prisma.user.update({ where: { email: "dis@example.com" }, data: { disabledAt: new Date() } });
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

/** Through better-auth's HTTP handler, as the login form's request reaches it. */
const signIn = (email: string, password: string, address = "192.0.2.10") =>
  auth.handler(
    new Request("https://preflight.example.com/api/auth/sign-in/email", {
      method: "POST",
      body: JSON.stringify({ email, password }),
      headers: {
        "content-type": "application/json",
        origin: "https://preflight.example.com",
        "x-forwarded-for": address,
      },
    }),
  );

describe("sign-in", () => {
  it("sets an httpOnly, SameSite=Lax, Secure session cookie behind an https public URL", async () => {
    const response = await signIn("ada@example.com", PASSWORD);
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.includes("session_token"));
    expect(cookie).toMatch(/^__Secure-better-auth\.session_token=/);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).toMatch(/; Secure/i);
  });

  it("stores a scrypt hash, never the password", async () => {
    const account = await prisma.account.findFirstOrThrow({ where: { user: { email: "ada@example.com" } } });
    expect(account.password).not.toContain(PASSWORD);
    expect(account.password).toMatch(/^[0-9a-f]+:[0-9a-f]+$/);
  });

  it("refuses a disabled account even with the right password", async () => {
    const response = await signIn("dis@example.com", PASSWORD);
    expect(response.ok).toBe(false);
    expect(await prisma.session.count({ where: { user: { email: "dis@example.com" } } })).toBe(0);
  });

  it("has no public sign-up", async () => {
    const response = await auth.handler(
      new Request("https://preflight.example.com/api/auth/sign-up/email", {
        method: "POST",
        body: JSON.stringify({ email: "mallory@example.com", password: PASSWORD, name: "M" }),
        headers: { "content-type": "application/json", origin: "https://preflight.example.com" },
      }),
    );
    expect(response.ok).toBe(false);
    expect(await prisma.user.count({ where: { email: "mallory@example.com" } })).toBe(0);
  });

  it("throttles an account after five wrong passwords, even with the right one, and says when to retry", async () => {
    for (let i = 0; i < 5; i++)
      expect((await signIn("tia@example.com", "wrong password!!", `192.0.2.${20 + i}`)).status).toBe(401);
    const throttled = await signIn("tia@example.com", PASSWORD, "192.0.2.99");
    expect(throttled.status).toBe(429);
    expect(((await throttled.json()) as { message: string }).message).toMatch(
      /^too many failed sign-ins for this account: try again in \d+ s$/,
    );
    // Other accounts from other addresses are unaffected.
    expect((await signIn("ada@example.com", PASSWORD, "192.0.2.100")).status).toBe(200);
  });
});

describe("password change", () => {
  const cookieOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0] ?? "")
      .find((c) => c.includes("session_token=")) ?? "";
  const sessionOf = (cookie: string) => auth.api.getSession({ headers: new Headers({ cookie }) });

  it("ends every other session of the account, keeps this one, and is audited without the password", async () => {
    await prisma.$transaction(async (tx) => {
      const { insertUser } = await import("../services/users/schema");
      await insertUser(tx, {
        email: "pat@example.com",
        name: "Pat",
        role: "viewer",
        password: PASSWORD,
        signOffRoles: [],
      });
    });
    const here = cookieOf(await signIn("pat@example.com", PASSWORD, "192.0.2.50"));
    const stolen = cookieOf(await signIn("pat@example.com", PASSWORD, "198.51.100.7"));
    expect(await sessionOf(stolen)).not.toBeNull();
    const newPassword = "another long enough password";
    const response = await auth.handler(
      new Request("https://preflight.example.com/api/auth/change-password", {
        method: "POST",
        body: JSON.stringify({ currentPassword: PASSWORD, newPassword }),
        headers: {
          "content-type": "application/json",
          origin: "https://preflight.example.com",
          cookie: here,
          "x-forwarded-for": "192.0.2.50",
        },
      }),
    );
    expect(response.status).toBe(200);
    expect(await sessionOf(stolen)).toBeNull();
    expect((await sessionOf(here))?.user.email).toBe("pat@example.com");
    const user = await prisma.user.findUniqueOrThrow({ where: { email: "pat@example.com" } });
    const entry = await prisma.auditLog.findFirstOrThrow({
      where: { action: "user.password.change", entityId: user.id },
    });
    expect(entry).toMatchObject({
      actorType: "user",
      actorId: user.id,
      actorName: "Pat <pat@example.com>",
      after: { otherSessionsEnded: 1 },
    });
    const stored = JSON.stringify({ ...entry, id: String(entry.id) });
    expect(stored).not.toContain(newPassword);
    expect(stored).not.toContain(PASSWORD);
  });

  it("is throttled like sign-in: five wrong current passwords, then 429 even with the right one", async () => {
    const cookie = cookieOf(await signIn("ada@example.com", PASSWORD, "192.0.2.60"));
    const change = (currentPassword: string) =>
      auth.handler(
        new Request("https://preflight.example.com/api/auth/change-password", {
          method: "POST",
          body: JSON.stringify({ currentPassword, newPassword: "a brand new long password" }),
          headers: {
            "content-type": "application/json",
            origin: "https://preflight.example.com",
            cookie,
            "x-forwarded-for": "192.0.2.60",
          },
        }),
      );
    for (let i = 0; i < 5; i++) expect((await change("not the password")).status).toBeGreaterThanOrEqual(400);
    expect((await change(PASSWORD)).status).toBe(429);
    expect(
      await prisma.auditLog.count({
        where: { action: "user.password.change", actorName: { contains: "ada@example.com" } },
      }),
    ).toBe(0);
  });
});
