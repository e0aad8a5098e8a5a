import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { getPrisma } from "../db/client";
import { getEnv } from "../env";
import { getRedis, redisNamespace } from "../redis";
import { getDatabaseTarget } from "../db/connection";
import { resolveAuthSecret } from "./secret";
import { createLoginThrottle, createMemoryThrottleStore, createRedisThrottleStore, type TLoginThrottle } from "./throttle";

// better-auth: email and password, sessions in PostgreSQL through Prisma, no public sign-up (people are invited
// by an admin, or the first admin is made by `npm run user:create` or the one-time setup page). Passwords are
// hashed with scrypt, memory-hard, by better-auth itself.

function createThrottle(): TLoginThrottle {
  const redis = getRedis();
  const store = redis ? createRedisThrottleStore(redis, `${redisNamespace(getDatabaseTarget().url)}:login:`) : createMemoryThrottleStore();
  return createLoginThrottle(store);
}

const SIGN_IN = "/sign-in/email";

function clientAddress(headers: Headers | undefined): string | null {
  // `next start` sets x-forwarded-for from the socket; a proxy in front appends to it. The last hop is the one
  // this server saw, which a client cannot forge.
  const forwarded = headers?.get("x-forwarded-for");
  return forwarded?.split(",").at(-1)?.trim() || null;
}

function createAuth() {
  const env = getEnv();
  const port = env.PORT;
  const publicUrl = env.PREFLIGHT_PUBLIC_URL;
  const throttle = createThrottle();
  return betterAuth({
    appName: "Preflight",
    secret: resolveAuthSecret(env),
    baseURL: publicUrl ?? `http://localhost:${port}`,
    trustedOrigins: [...(publicUrl ? [new URL(publicUrl).origin] : []), `http://localhost:${port}`, `http://127.0.0.1:${port}`],
    database: prismaAdapter(getPrisma(), { provider: "postgresql" }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 256, autoSignIn: false },
    session: { expiresIn: 7 * 86_400, updateAge: 86_400 },
    user: { additionalFields: { role: { type: "string", input: false, defaultValue: "viewer" } } },
    advanced: {
      useSecureCookies: publicUrl?.startsWith("https://") ?? false,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
    // Our own throttle (per account and per address, shared over Redis) replaces the built-in per-path one.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    databaseHooks: {
      session: {
        create: {
          // A disabled user's password still matches: refuse the session itself.
          before: async (session) => {
            const user = await getPrisma().user.findUnique({ where: { id: session.userId }, select: { disabledAt: true } });
            if (!user || user.disabledAt) throw new APIError("FORBIDDEN", { message: "this account is disabled" });
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN) return;
        const email = typeof ctx.body?.email === "string" ? ctx.body.email : "";
        const verdict = await throttle.check(email, clientAddress(ctx.headers));
        if (!verdict.ok) {
          throw new APIError("TOO_MANY_REQUESTS", { message: `${verdict.reason}: try again in ${verdict.retryAfterS} s` });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN) return;
        const email = typeof ctx.body?.email === "string" ? ctx.body.email : "";
        const returned = ctx.context.returned;
        if (returned instanceof APIError) {
          // Only wrong credentials count: a throttled attempt must not extend its own lockout.
          if (returned.status === "UNAUTHORIZED" || returned.statusCode === 401) await throttle.failed(email, clientAddress(ctx.headers));
        } else await throttle.succeeded(email);
      }),
    },
    plugins: [nextCookies()],
  });
}

export type TAuth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { preflightAuth?: TAuth };

export function getAuth(): TAuth {
  globalForAuth.preflightAuth ??= createAuth();
  return globalForAuth.preflightAuth;
}
