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
    await insertUser(tx, { email: "ada@example.com", name: "Ada", role: "admin", password: PASSWORD, signOffRoles: [] });
    await insertUser(tx, { email: "dis@example.com", name: "Dis", role: "viewer", password: PASSWORD, signOffRoles: [] });
    await insertUser(tx, { email: "tia@example.com", name: "Tia", role: "viewer", password: PASSWORD, signOffRoles: [] });
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
      headers: { "content-type": "application/json", origin: "https://preflight.example.com", "x-forwarded-for": address },
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
    for (let i = 0; i < 5; i++) expect((await signIn("tia@example.com", "wrong password!!", `192.0.2.${20 + i}`)).status).toBe(401);
    const throttled = await signIn("tia@example.com", PASSWORD, "192.0.2.99");
    expect(throttled.status).toBe(429);
    expect(((await throttled.json()) as { message: string }).message).toMatch(/^too many failed sign-ins for this account: try again in \d+ s$/);
    // Other accounts from other addresses are unaffected.
    expect((await signIn("ada@example.com", PASSWORD, "192.0.2.100")).status).toBe(200);
  });
});
