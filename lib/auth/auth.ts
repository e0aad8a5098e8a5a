import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { appendAudit } from "../audit/append";
import { getPrisma } from "../db/client";
import { getEnv } from "../env";
import { ownOrigins } from "../http/origin";
import { announceAccessChange } from "../events/access";
import { getLogger } from "../logger";
import { getRedisConnections, redisNamespace } from "../redis";
import { getDatabaseTarget } from "../db/connection";
import { resolveAuthSecret } from "./secret";
import {
  createFallbackThrottleStore,
  createLoginThrottle,
  createPostgresThrottleStore,
  createRedisThrottleStore,
  type TLoginThrottle,
} from "./throttle";

// better-auth: email and password, sessions in PostgreSQL through Prisma, no public sign-up (people are invited
// by an admin, or the first admin is made by `npm run user:create` or the one-time setup page). Passwords are
// hashed with scrypt, memory-hard, by better-auth itself. No secondaryStorage: sessions never depend on Redis.

/**
 * The count every replica shares: in Redis while it answers, in PostgreSQL when it does not, or always without
 * REDIS_URL. Sign-in itself needs PostgreSQL anyway (users, sessions), so nothing here waits on Redis for long.
 */
function createThrottle(): TLoginThrottle {
  const postgres = createPostgresThrottleStore(getPrisma());
  const redis = getRedisConnections();
  if (!redis) return createLoginThrottle(postgres);
  const inRedis = createRedisThrottleStore(redis.commands, `${redisNamespace(getDatabaseTarget().url)}:login:`);
  return createLoginThrottle(
    createFallbackThrottleStore(inRedis, postgres, { available: () => redis.health().state !== "down" }),
  );
}

const SIGN_IN = "/sign-in/email";
const CHANGE_PASSWORD = "/change-password";
// Every endpoint that checks a password is throttled like sign-in, per account and per address.
const THROTTLED = new Set([SIGN_IN, CHANGE_PASSWORD, "/verify-password"]);

type THookContext = {
  path: string;
  body?: unknown;
  headers?: Headers;
  context: { session?: { session: { token: string }; user: { id: string; email: string } } | null };
};

/** The account a throttled request is about: the email signing in, or the signed-in person changing a password. */
function throttleAccount(ctx: THookContext): string {
  const body = ctx.body as { email?: unknown } | undefined;
  if (ctx.path === SIGN_IN) return typeof body?.email === "string" ? body.email : "";
  return ctx.context.session?.user.email ?? "";
}

/**
 * After a password change, every other session of the account ends (a stolen session dies with the old password),
 * and the change is in the audit log, in the same transaction: who, when, how many sessions it ended. Never the
 * password or a hash of it.
 */
async function endOtherSessions(ctx: THookContext): Promise<void> {
  const current = ctx.context.session;
  if (!current) return;
  const user = current.user as { id: string; email: string; name?: string };
  await getPrisma().$transaction(async (tx) => {
    const ended = await tx.session.deleteMany({ where: { userId: user.id, NOT: { token: current.session.token } } });
    await appendAudit(tx, {
      actor: { type: "user", id: user.id, name: `${user.name ?? user.email} <${user.email}>` },
      action: "user.password.change",
      entityType: "user",
      entityId: user.id,
      after: { otherSessionsEnded: ended.count },
    });
  });
  await announceAccessChange(user.id);
}

function clientAddress(headers: Headers | undefined): string | null {
  // scripts/next-server.mjs replaces any x-forwarded-for with the one address it vouches for: the socket's, or
  // the client's as told by a proxy named in PREFLIGHT_TRUSTED_PROXIES.
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
    // The origins of the route handlers' own check (lib/http/origin.ts), request by request; with no request (a
    // server-side call), the public URL's alone. better-auth adds baseURL's origin itself.
    trustedOrigins: (request) =>
      request ? ownOrigins(request, publicUrl) : publicUrl ? [new URL(publicUrl).origin] : [],
    database: prismaAdapter(getPrisma(), { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 256,
      autoSignIn: false,
    },
    session: { expiresIn: 7 * 86_400, updateAge: 86_400 },
    user: { additionalFields: { role: { type: "string", input: false, defaultValue: "viewer" } } },
    advanced: {
      useSecureCookies: publicUrl?.startsWith("https://") ?? false,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // better-auth turns its Origin check off when NODE_ENV is test; on, tests see what production does.
      disableOriginCheck: false,
    },
    // Our own throttle (per account and per address, shared by every replica) replaces the built-in per-path one.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    databaseHooks: {
      session: {
        create: {
          // A disabled user's password still matches: refuse the session itself.
          before: async (session) => {
            const user = await getPrisma().user.findUnique({
              where: { id: session.userId },
              select: { disabledAt: true },
            });
            if (!user || user.disabledAt) throw new APIError("FORBIDDEN", { message: "this account is disabled" });
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (!THROTTLED.has(ctx.path)) return;
        // Counted before the password is checked: parallel guesses cannot outrun the limit.
        const account =
          ctx.path === SIGN_IN ? throttleAccount(ctx) : ((await getSessionFromCtx(ctx))?.user.email ?? "");
        const verdict = await throttle.attempt(account, clientAddress(ctx.headers));
        if (!verdict.ok) {
          throw new APIError("TOO_MANY_REQUESTS", {
            message: `${verdict.reason}: try again in ${verdict.retryAfterS} s`,
          });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (!THROTTLED.has(ctx.path)) return;
        const returned = ctx.context.returned;
        // A refusal is logged once, by onAPIError below.
        if (returned instanceof Error || (returned && typeof returned === "object" && "statusCode" in returned)) return;
        await throttle.succeeded(throttleAccount(ctx), clientAddress(ctx.headers));
        if (ctx.path === CHANGE_PASSWORD) await endOtherSessions(ctx);
      }),
    },
    // Every refused auth request (wrong password, throttled, disabled) is one warn line in our log, never a stack;
    // only a server error is an error line.
    onAPIError: {
      onError: (error) => {
        const e = error as { status?: unknown; statusCode?: unknown; message?: unknown };
        const status = typeof e.statusCode === "number" ? e.statusCode : 500;
        const line = { component: "auth", status: typeof e.status === "string" ? e.status : status };
        const message = typeof e.message === "string" && e.message ? e.message : "auth request failed";
        if (status >= 500) getLogger().error(line, message);
        else getLogger().warn(line, message);
      },
    },
    // better-auth's own log lines go to ours, one line each, without stack traces.
    logger: {
      level: "warn",
      log: (level, message) => {
        const logger = getLogger();
        (level === "error"
          ? logger.error.bind(logger)
          : level === "warn"
            ? logger.warn.bind(logger)
            : logger.info.bind(logger))({ component: "auth" }, message);
      },
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
