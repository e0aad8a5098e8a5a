import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ROLES, type TRole } from "../lib/auth/permissions";
import type { TConfig } from "../lib/config/schema";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { createTestDatabase } from "../lib/testing/database";

// Every server action and every mutating route handler of app/, found on disk, called as nobody and as each role
// against a real database and real better-auth sessions: only the callers the table below permits may succeed, and
// a refused call changes no row of any table. Only Next's request-scope functions are replaced, by a "current
// caller" whose Cookie header is that role's real session cookie.

const next = vi.hoisted(() => {
  class RedirectError extends Error {
    location: string;
    constructor(location: string) {
      super(`redirect to ${location}`);
      this.location = location;
    }
  }
  class ForbiddenError extends Error {}
  return { RedirectError, ForbiddenError, request: { headers: new Headers() } };
});

vi.mock("next/headers", () => ({
  headers: async () => new Headers(next.request.headers),
  // Cookies set during an action (a sign-in's session) belong to a browser this test does not keep.
  cookies: async () => ({
    get: () => undefined,
    getAll: () => [],
    has: () => false,
    set: () => undefined,
    delete: () => undefined,
  }),
}));
vi.mock("next/navigation", () => ({
  redirect: (location: string) => {
    throw new next.RedirectError(location);
  },
  forbidden: () => {
    throw new next.ForbiddenError("forbidden");
  },
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => undefined,
}));

// --- the app, loaded on a fresh database (modules read the environment once, on first use) ---

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const savedEnv = { ...process.env };
const dataDir = mkdtempSync(join(tmpdir(), "pf-permissions-"));
const database = await createTestDatabase("pf_permissions");
Object.assign(process.env, {
  DATABASE_URL: database.url,
  PREFLIGHT_CONFIG: join(ROOT, "preflight.config.yaml"),
  PREFLIGHT_EMBEDDED_WORKER: "false",
  REDIS_URL: "",
  PREFLIGHT_AUTH_SECRET: randomBytes(30).toString("base64url"),
  PREFLIGHT_DATA_DIR: dataDir,
  PORT: "3999",
  LOG_LEVEL: "warn",
});
// No demo control server and no public URL: the demo switch has nowhere to go, cookies are not Secure.
delete process.env.PREFLIGHT_DEMO_CONTROL_URL;
delete process.env.PREFLIGHT_PUBLIC_URL;
const ORIGIN = "http://localhost:3999";

const { getPrisma } = await import("../lib/db/client");
const { getAuth } = await import("../lib/auth/auth");
const { getConfig } = await import("../lib/config/current");
const { insertUser } = await import("../lib/services/users/schema");
const { createToken } = await import("../lib/tokens/store");
const { refreshReadiness } = await import("../lib/services/readiness/refresh");

type THandler = (...args: unknown[]) => Promise<unknown>;
type TEndpoint = { key: string; kind: "action" | "route"; method: string; handler: THandler };

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listSources(path) : /\.(ts|tsx|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

const USE_SERVER_MODULE = /^(?:\s+|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*["']use server["']/;
const MUTATING = ["POST", "PUT", "PATCH", "DELETE"];
const sources = listSources(join(ROOT, "app")).map((path) => ({
  path,
  key: relative(ROOT, path).split(sep).join("/"),
  text: readFileSync(path, "utf8"),
}));
// A "use server" inside a component would be an action this walk cannot call by name: it must live in a module.
const inlineActions = sources
  .filter((s) => !USE_SERVER_MODULE.test(s.text) && /["']use server["']/.test(s.text))
  .map((s) => s.key);

const endpoints: TEndpoint[] = [];
for (const source of sources) {
  const isActions = USE_SERVER_MODULE.test(source.text);
  const isRoute = /^route\.(ts|js)$/.test(basename(source.path));
  if (!isActions && !isRoute) continue;
  const exported = (await import(/* @vite-ignore */ source.path)) as Record<string, unknown>;
  for (const [name, value] of Object.entries(exported)) {
    if (typeof value !== "function") continue;
    if (isActions)
      endpoints.push({ key: `${source.key}#${name}`, kind: "action", method: name, handler: value as THandler });
    else if (MUTATING.includes(name))
      endpoints.push({ key: `${source.key}#${name}`, kind: "route", method: name, handler: value as THandler });
  }
}

// --- callers ---

const CALLERS = ["anonymous", ...ROLES] as const;
type TCaller = (typeof CALLERS)[number];
const EVERYONE: readonly TCaller[] = CALLERS;
const PASSWORD = "correct horse battery staple";
const SIGN_OFF_ROLE = "security-officer";

type TUser = { id: string; email: string; name: string };
const users = {} as Record<TRole | "login-probe", TUser>;
const cookies = {} as Record<TCaller, string | null>;
let prisma: PrismaClient;
let config: TConfig;
let sequence = 0;

/** A real sign-in through better-auth: the session cookie a browser would send back. */
async function signInCookie(email: string): Promise<string> {
  const response = await getAuth().api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .find((c) => c.startsWith("better-auth.session_token="));
  if (!response.ok || !cookie)
    throw new Error(`sign-in of ${email} failed: HTTP ${response.status} ${await response.text()}`);
  return cookie;
}

// --- what a call did ---

type TOutcome =
  | { kind: "returned"; value: unknown }
  | { kind: "redirect"; location: string }
  | { kind: "forbidden" }
  | { kind: "response"; status: number; body: unknown }
  | { kind: "threw"; error: unknown };
type TVerdict = "success" | "refused" | "neither";

const REFUSAL_TEXT = /sign in|may not|do not hold/i;

function messageOf(value: unknown): string {
  if (typeof value !== "object" || value === null) return "";
  const v = value as { error?: unknown; message?: unknown };
  return [v.error, v.message].filter((m): m is string => typeof m === "string").join(" ");
}

/** Success as each kind of endpoint reports it; a refusal as 401/403, a "sign in"/"may not" error, /login or forbidden(). */
function judge(outcome: TOutcome): TVerdict {
  switch (outcome.kind) {
    case "redirect":
      return /^\/login(\?|$)/.test(outcome.location) ? "refused" : "success";
    case "forbidden":
      return "refused";
    case "response":
      if (outcome.status >= 200 && outcome.status < 300) return "success";
      return outcome.status === 401 || outcome.status === 403 ? "refused" : "neither";
    case "threw":
      return "neither";
    case "returned": {
      const v = (outcome.value ?? {}) as { ok?: unknown; status?: unknown };
      if (v.ok === true || v.status === "ok") return "success";
      if (v.status === 401 || v.status === 403 || REFUSAL_TEXT.test(messageOf(outcome.value))) return "refused";
      return "neither";
    }
  }
}

/**
 * Probe-now needs a worker to probe and the demo switch needs the demo's control server; neither runs here, so a
 * permitted caller gets "no worker" (503) or "not running the demo". That answer comes after the permission check:
 * anything that is not a refusal (and not a crash) counts as success for these.
 */
function judgePastPermissionCheck(outcome: TOutcome): TVerdict {
  const verdict = judge(outcome);
  return verdict === "neither" && outcome.kind !== "threw" ? "success" : verdict;
}

/** Public endpoints that must refuse everyone for a reason of their own (setup done, a bogus invitation…). */
const refusedWith =
  (pattern: RegExp) =>
  (outcome: TOutcome): TVerdict => {
    const text =
      outcome.kind === "returned"
        ? messageOf(outcome.value)
        : outcome.kind === "response"
          ? JSON.stringify(outcome.body)
          : "";
    return pattern.test(text) ? "refused" : judge(outcome);
  };

function describeOutcome(outcome: TOutcome): string {
  if (outcome.kind === "threw")
    return `threw ${outcome.error instanceof Error ? (outcome.error.stack ?? outcome.error.message) : String(outcome.error)}`;
  return JSON.stringify(outcome, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
}

// --- the expectation table ---

type TContext = { caller: TCaller; unique: (prefix: string) => string };
type TRouteInput = { path: string; body?: BodyInit; headers?: Record<string, string>; params?: Record<string, string> };
type TExpectation = {
  /** Several requests to one handler (better-auth's catch-all) are told apart by a label. */
  label?: string;
  permitted: readonly TCaller[];
  /** Arguments of the action, or the request to the route; built fresh (unique names, fixtures) before each call. */
  input: (ctx: TContext) => Promise<unknown[] | TRouteInput> | unknown[] | TRouteInput;
  /** The Cookie header to send instead of the caller's own session. */
  cookie?: (ctx: TContext) => Promise<string | null>;
  judge?: (outcome: TOutcome) => TVerdict;
};

function form(fields: Record<string, string | string[] | File>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  return data;
}

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const JUNIT = `<testsuite name="unit"><testcase name="a"/><testcase name="b"/></testsuite>`;
const K6 = readFileSync(join(ROOT, "lib/evidence/fixtures/k6-summary-export.json"), "utf8");
const SARIF = readFileSync(join(ROOT, "lib/evidence/fixtures/sarif-eslint.sarif"), "utf8");
const SBOM = readFileSync(join(ROOT, "lib/evidence/fixtures/sbom-trivy-cyclonedx-1.6-vulns.json"), "utf8");
const MANIFESTS = readFileSync(join(ROOT, "lib/evidence/fixtures/k8s-x0tta6bl4-kustomize.yaml"), "utf8");
const COMPOSE = readFileSync(join(ROOT, "examples/x0tta6bl4/docker-compose.yml"), "utf8");
const COBERTURA = readFileSync(join(ROOT, "lib/evidence/fixtures/coverage-py-cobertura.xml"), "utf8");
const chaos = () => ({
  name: "api-restart",
  fault: "pod-delete",
  target: "api",
  startedAt: minutesFromNow(-10),
  endedAt: minutesFromNow(-9),
});
const attestation = () => ({
  check: "backup-restore",
  answer: "yes",
  evidenceUrl: "https://wiki.example.com/restore",
  comment: "",
  expiresAt: minutesFromNow(60 * 24 * 30),
});
const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { "content-type": "application/json" } });

/** Probe-now allows one request per component every 2 s: forget the last one so each caller reaches the worker lookup. */
const forgetProbeRateLimit = () => void delete (globalThis as { preflightProbeNowAt?: unknown }).preflightProbeNowAt;

/** A valid signature of `role` against the current readiness snapshot (stored now if there is none yet). */
async function signInput(role: string): Promise<unknown[]> {
  const { snapshot } = await refreshReadiness({ prisma, config });
  if (!snapshot) throw new Error("no readiness snapshot to sign against");
  return [
    { status: "idle" },
    form({ role, decision: "approve", comment: "", snapshotHash: snapshot.hash, confirmedBelowGate: "1" }),
  ];
}

/** Plan rows for the plan's actions to change or delete. */
const planPhase = (unique: TContext["unique"]) =>
  prisma.planPhase.create({ data: { name: unique("phase"), position: 0 } });
const planTask = (unique: TContext["unique"]) =>
  prisma.planTask.create({ data: { title: unique("task"), position: 0, criticalPath: true } });

const EDITORS: readonly TCaller[] = ["admin", "editor"];
const PROBERS: readonly TCaller[] = ["admin", "editor", "approver"];

const EXPECTATIONS: Record<string, TExpectation | TExpectation[]> = {
  "app/admin/tokens/actions.ts#createTokenAction": {
    permitted: ["admin"],
    input: ({ unique }) => [{ status: "idle", round: 0 }, form({ name: unique("token"), scopes: ["evidence:write"] })],
  },
  "app/admin/tokens/actions.ts#revokeTokenAction": {
    permitted: ["admin"],
    input: async ({ unique }) => {
      const { row } = await createToken(prisma, {
        name: unique("to-revoke"),
        scopes: ["readiness:read"],
        createdBy: "permissions test",
      });
      return [{ status: "idle" }, form({ name: row.name })];
    },
  },
  "app/admin/users/actions.ts#updateUserAction": {
    permitted: ["admin"],
    input: async ({ unique }) => {
      const target = await prisma.$transaction((tx) =>
        insertUser(tx, {
          email: `${unique("target")}@permissions.test`,
          name: "Target",
          role: "viewer",
          password: PASSWORD,
          signOffRoles: [],
        }),
      );
      return [{ status: "idle" }, form({ userId: target.id, role: "approver", signOffRoles: ["technical-lead"] })];
    },
  },
  "app/admin/users/actions.ts#inviteUserAction": {
    permitted: ["admin"],
    input: ({ unique }) => [
      { status: "idle", round: 0 },
      form({
        name: "Invited",
        email: `${unique("invited")}@permissions.test`,
        role: "approver",
        signOffRoles: ["product-owner"],
      }),
    ],
  },
  "app/admin/users/actions.ts#revokeInvitationAction": {
    permitted: ["admin"],
    input: async ({ unique }) => {
      const invitation = await prisma.invitation.create({
        data: {
          email: `${unique("revoked")}@permissions.test`,
          name: "To revoke",
          role: "viewer",
          signOffRoles: [],
          tokenHash: unique("hash"),
          expiresAt: new Date(Date.now() + 86_400_000),
          createdBy: users.admin.id,
        },
      });
      return [{ status: "idle" }, form({ invitationId: invitation.id })];
    },
  },
  "app/components/[id]/actions.ts#probeNowAction": {
    permitted: PROBERS,
    input: () => (forgetProbeRateLimit(), ["api"]),
    judge: judgePastPermissionCheck,
  },
  "app/demo/actions.ts#setDemoModeAction": {
    permitted: PROBERS,
    input: () => [null, form({ serviceId: "api", mode: "down" })],
    judge: judgePastPermissionCheck,
  },
  // Past the permission check the test configuration has no postDeployment: a 409 that is not a refusal.
  "app/signoff/actions.ts#markDeployedAction": {
    permitted: EDITORS,
    input: () => [{ status: "idle" }, form({ release: "v1" })],
    judge: judgePastPermissionCheck,
  },
  "app/evidence/actions.ts#uploadJUnitAction": {
    permitted: EDITORS,
    input: () => [
      { status: "idle" },
      form({ file: new File([JUNIT], "unit.xml", { type: "application/xml" }), suite: "unit", kind: "unit" }),
    ],
  },
  "app/evidence/actions.ts#uploadK6Action": {
    permitted: EDITORS,
    input: () => [
      { status: "idle" },
      form({ file: new File([K6], "summary.json", { type: "application/json" }), test: "k6-baseline" }),
    ],
  },
  "app/evidence/actions.ts#recordChaosAction": {
    permitted: EDITORS,
    input: () => [{ status: "idle" }, form(chaos())],
  },
  "app/evidence/actions.ts#attestAction": {
    permitted: EDITORS,
    input: () => [{ status: "idle" }, form(attestation())],
  },
  // Public: the link is the credential. A bogus one is refused whoever sends it.
  "app/invite/[token]/actions.ts#acceptInvitationAction": {
    permitted: [],
    input: () => [
      { error: null, fieldErrors: {} },
      form({ token: randomBytes(32).toString("base64url"), password: PASSWORD, confirm: PASSWORD }),
    ],
    judge: refusedWith(/invitation link is not valid/),
  },
  // Public: anyone may sign in with the right password (and lands on `next`).
  "app/login/actions.ts#signIn": {
    permitted: EVERYONE,
    input: () => [
      { error: null, email: "" },
      form({ email: users["login-probe"].email, password: PASSWORD, next: "/" }),
    ],
  },
  // Public: signing out ends the session it is sent with, and lands on /login (which is its success here). A
  // throwaway session of the caller is used, so the caller's own stays valid for the calls after this one.
  "app/login/actions.ts#signOut": {
    permitted: EVERYONE,
    input: () => [],
    cookie: async ({ caller }) => (caller === "anonymous" ? null : signInCookie(users[caller].email)),
    judge: (outcome) => (outcome.kind === "redirect" && outcome.location === "/login" ? "success" : "neither"),
  },
  // The plan and the risks: editors and admins change them; the rows they act on are made here, as nothing seeds this database.
  "app/plan/actions.ts#saveTaskAction": [
    {
      label: "adding a task",
      permitted: EDITORS,
      input: async ({ unique }) => {
        const phase = await planPhase(unique);
        return [
          { status: "idle", round: 0 },
          form({
            title: unique("task"),
            owner: "Ops",
            dueDate: "2026-01-21",
            status: "todo",
            phaseId: phase.id,
            criticalPath: ["off", "on"],
            notes: "",
          }),
        ];
      },
    },
    {
      label: "changing a task",
      permitted: EDITORS,
      input: async ({ unique }) => [
        { status: "idle", round: 0 },
        form({ id: (await planTask(unique)).id, status: "in_progress", owner: "Someone", dueDate: "2026-01-22" }),
      ],
    },
  ],
  "app/plan/actions.ts#deleteTaskAction": {
    permitted: EDITORS,
    input: async ({ unique }) => [{ status: "idle", round: 0 }, form({ id: (await planTask(unique)).id })],
  },
  "app/plan/actions.ts#savePhaseAction": {
    permitted: EDITORS,
    input: async ({ unique }) => [
      { status: "idle", round: 0 },
      form({
        id: (await planPhase(unique)).id,
        name: unique("phase"),
        start: "2026-01-16",
        end: "2026-01-17",
        expectedReadinessPct: "97",
        goal: "Staging",
      }),
    ],
  },
  "app/plan/actions.ts#saveLimitationAction": {
    permitted: EDITORS,
    input: ({ unique }) => [
      { status: "idle", round: 0 },
      form({
        title: unique("limitation"),
        impact: "None",
        mitigation: "In the image",
        timeline: "Not blocking",
        blocking: "off",
      }),
    ],
  },
  "app/plan/actions.ts#deleteLimitationAction": {
    permitted: EDITORS,
    input: async ({ unique }) => [
      { status: "idle", round: 0 },
      form({ id: (await prisma.limitation.create({ data: { title: unique("limitation"), position: 0 } })).id }),
    ],
  },
  "app/plan/actions.ts#saveChecklistItemAction": {
    permitted: EDITORS,
    input: ({ unique }) => [{ status: "idle", round: 0 }, form({ kind: "pre_deployment", text: unique("check") })],
  },
  "app/plan/actions.ts#toggleChecklistItemAction": {
    permitted: EDITORS,
    input: async ({ unique }) => [
      { status: "idle", round: 0 },
      form({
        id: (
          await prisma.checklistItem.create({ data: { kind: "post_deployment", text: unique("watch"), position: 0 } })
        ).id,
        done: "true",
      }),
    ],
  },
  "app/risks/actions.ts#saveRiskAction": {
    permitted: EDITORS,
    input: ({ unique }) => [
      { status: "idle", round: 0 },
      form({
        title: unique("risk"),
        area: "operational",
        probability: "3",
        impact: "4",
        mitigation: "Scale out",
        owner: "Ops",
        status: "open",
      }),
    ],
  },
  "app/risks/actions.ts#deleteRiskAction": {
    permitted: EDITORS,
    input: async ({ unique }) => [
      { status: "idle", round: 0 },
      form({ id: (await prisma.risk.create({ data: { title: unique("risk"), probability: 2, impact: 2 } })).id }),
    ],
  },
  // Public, but only while there is no user at all: users exist here, so it refuses everyone and creates no one.
  "app/setup/actions.ts#setupAdmin": {
    permitted: [],
    input: ({ unique }) => [
      { error: null, fieldErrors: {}, values: { email: "", name: "" } },
      form({ email: `${unique("setup")}@permissions.test`, name: "Setup", password: PASSWORD, confirm: PASSWORD }),
    ],
    judge: refusedWith(/setup is done/),
  },
  "app/signoff/actions.ts#signAction": [
    {
      label: `for ${SIGN_OFF_ROLE}`,
      permitted: ["approver"],
      input: () => signInput(SIGN_OFF_ROLE),
    },
    {
      // Holding the approver role is not enough: the sign-off role itself must be the caller's.
      label: "for a sign-off role nobody here holds",
      permitted: [],
      input: () => signInput("technical-lead"),
    },
  ],
  // better-auth's own endpoints. Sign-in and sign-out are public by design and not walked here.
  "app/api/auth/[...all]/route.ts#POST": [
    {
      label: "POST /api/auth/sign-up/email",
      permitted: [],
      input: ({ unique }) => ({
        path: "/api/auth/sign-up/email",
        ...json({ email: `${unique("signup")}@permissions.test`, password: PASSWORD, name: "Signup" }),
      }),
      // Not exposed at all (lib/auth/exposed.ts): accounts come from invitations.
      judge: refusedWith(/managed by an admin/),
    },
    {
      // The role is a server-side field: nobody can give it to themselves through the profile endpoint.
      label: "POST /api/auth/update-user { role: admin }",
      permitted: [],
      input: () => ({ path: "/api/auth/update-user", ...json({ role: "admin" }) }),
      // Profile edits are not exposed: a rename could put another approver's name on a sign-off.
      judge: refusedWith(/managed by an admin/),
    },
  ],
  "app/api/v1/components/[id]/probe/route.ts#POST": {
    permitted: PROBERS,
    input: () => (forgetProbeRateLimit(), { path: "/api/v1/components/api/probe", params: { id: "api" } }),
    judge: judgePastPermissionCheck,
  },
  // CI endpoints: a bearer token or nothing. A browser session, of any role, is 401 and stores nothing.
  "app/api/v1/evidence/junit/route.ts#POST": {
    permitted: [],
    input: () => ({
      path: "/api/v1/evidence/junit?suite=unit&kind=unit",
      body: JUNIT,
      headers: { "content-type": "application/xml" },
    }),
    judge: (outcome) => (outcome.kind === "response" && outcome.status === 401 ? "refused" : "neither"),
  },
  "app/api/v1/evidence/k6/route.ts#POST": {
    permitted: [],
    input: () => ({
      path: "/api/v1/evidence/k6?test=k6-baseline",
      body: K6,
      headers: { "content-type": "application/json" },
    }),
    judge: (outcome) => (outcome.kind === "response" && outcome.status === 401 ? "refused" : "neither"),
  },
  "app/api/v1/evidence/chaos/route.ts#POST": {
    permitted: [],
    input: () => ({ path: "/api/v1/evidence/chaos", ...json(chaos()) }),
    judge: (outcome) => (outcome.kind === "response" && outcome.status === 401 ? "refused" : "neither"),
  },
  "app/api/v1/releases/[release]/deployed/route.ts#POST": {
    permitted: [],
    input: () => ({ path: "/api/v1/releases/v1/deployed", params: { release: "v1" }, ...json({}) }),
    judge: (outcome) => (outcome.kind === "response" && outcome.status === 401 ? "refused" : "neither"),
  },
  "app/api/v1/statements/route.ts#POST": {
    permitted: [],
    input: () => ({ path: "/api/v1/statements", ...json({ name: "image", digest: `sha256:${"ab".repeat(32)}` }) }),
    judge: (outcome) => (outcome.kind === "response" && outcome.status === 401 ? "refused" : "neither"),
  },
  "app/api/v1/evidence/attestations/route.ts#POST": {
    permitted: [],
    input: () => ({ path: "/api/v1/evidence/attestations", ...json(attestation()) }),
    judge: (outcome) => (outcome.kind === "response" && outcome.status === 401 ? "refused" : "neither"),
  },
  "app/api/v1/evidence/sarif/route.ts#POST": {
    permitted: [],
    input: () => ({
      path: "/api/v1/evidence/sarif?project=app",
      body: SARIF,
      headers: { "content-type": "application/sarif+json" },
    }),
    judge: (outcome) => (outcome.kind === "response" && outcome.status === 401 ? "refused" : "neither"),
  },
  "app/api/v1/evidence/sbom/route.ts#POST": {
    permitted: [],
    input: () => ({
      path: "/api/v1/evidence/sbom?project=app",
      body: SBOM,
      headers: { "content-type": "application/vnd.cyclonedx+json" },
    }),
    judge: (outcome) => (outcome.kind === "response" && outcome.status === 401 ? "refused" : "neither"),
  },
  "app/api/v1/evidence/manifests/route.ts#POST": {
    permitted: [],
    input: () => ({
      path: "/api/v1/evidence/manifests?project=app",
      body: MANIFESTS,
      headers: { "content-type": "application/yaml" },
    }),
    judge: (outcome) => (outcome.kind === "response" && outcome.status === 401 ? "refused" : "neither"),
  },
  "app/api/v1/evidence/compose/route.ts#POST": {
    permitted: [],
    input: () => ({
      path: "/api/v1/evidence/compose?project=app",
      body: COMPOSE,
      headers: { "content-type": "application/yaml" },
    }),
    judge: (outcome) => (outcome.kind === "response" && outcome.status === 401 ? "refused" : "neither"),
  },
  "app/api/v1/evidence/coverage/route.ts#POST": {
    permitted: [],
    input: () => ({
      path: "/api/v1/evidence/coverage?project=app",
      body: COBERTURA,
      headers: { "content-type": "application/xml" },
    }),
    judge: (outcome) => (outcome.kind === "response" && outcome.status === 401 ? "refused" : "neither"),
  },
};

const expectationsOf = (key: string): TExpectation[] | undefined => {
  const entry = EXPECTATIONS[key];
  return entry === undefined ? undefined : Array.isArray(entry) ? entry : [entry];
};

// --- the database, every table of it ---

/** Rows and a digest of the content of every table but auth_session (signing in is what creates sessions). */
async function snapshotTables(): Promise<Record<string, { rows: number; digest: string }>> {
  const tables = await prisma.$queryRaw<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'auth_session'
    ORDER BY 1`;
  const query = tables
    .map(({ name }) => {
      const id = `"${name.replaceAll('"', '""')}"`;
      return `SELECT '${name.replaceAll("'", "''")}' AS name, count(*)::int AS rows, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS digest FROM ${id} t`;
    })
    .join(" UNION ALL ");
  const rows = await prisma.$queryRawUnsafe<{ name: string; rows: number; digest: string }[]>(query);
  return Object.fromEntries(rows.map((r) => [r.name, { rows: r.rows, digest: r.digest }]));
}

function changedTables(
  before: Awaited<ReturnType<typeof snapshotTables>>,
  after: Awaited<ReturnType<typeof snapshotTables>>,
): string[] {
  return Object.keys({ ...before, ...after })
    .filter((name) => before[name]?.digest !== after[name]?.digest)
    .map(
      (name) =>
        `${name}: ${before[name]?.rows ?? "-"} rows -> ${after[name]?.rows ?? "-"} rows${before[name]?.rows === after[name]?.rows ? " (rows changed)" : ""}`,
    );
}

// --- calling ---

async function call(
  endpoint: TEndpoint,
  expectation: TExpectation,
  caller: TCaller,
): Promise<{ outcome: TOutcome; changed: string[] }> {
  const ctx: TContext = {
    caller,
    unique: (prefix) => `${prefix}-${caller}-${++sequence}-${randomBytes(3).toString("hex")}`,
  };
  const input = await expectation.input(ctx);
  const cookie = expectation.cookie ? await expectation.cookie(ctx) : cookies[caller];
  const before = await snapshotTables();
  let outcome: TOutcome;
  try {
    if (endpoint.kind === "action") {
      if (!Array.isArray(input)) throw new Error(`${endpoint.key}: an action's input is its arguments`);
      next.request.headers = new Headers(cookie ? { cookie } : {});
      outcome = { kind: "returned", value: await endpoint.handler(...input) };
    } else {
      if (Array.isArray(input)) throw new Error(`${endpoint.key}: a route's input is a request`);
      const request = new Request(`${ORIGIN}${input.path}`, {
        method: endpoint.method,
        headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}), ...input.headers },
        body: input.body ?? null,
      });
      const response = (await endpoint.handler(request, { params: Promise.resolve(input.params ?? {}) })) as Response;
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      outcome = { kind: "response", status: response.status, body };
    }
  } catch (error) {
    outcome =
      error instanceof next.RedirectError
        ? { kind: "redirect", location: error.location }
        : error instanceof next.ForbiddenError
          ? { kind: "forbidden" }
          : { kind: "threw", error };
  } finally {
    next.request.headers = new Headers();
  }
  return { outcome, changed: changedTables(before, await snapshotTables()) };
}

beforeAll(async () => {
  prisma = getPrisma();
  config = getConfig().config;
  await prisma.$transaction(async (tx) => {
    for (const role of ROLES) {
      users[role] = await insertUser(tx, {
        email: `${role}@permissions.test`,
        name: `Perm ${role}`,
        role,
        password: PASSWORD,
        signOffRoles: role === "approver" ? [SIGN_OFF_ROLE] : [],
      });
    }
    users["login-probe"] = await insertUser(tx, {
      email: "login-probe@permissions.test",
      name: "Login probe",
      role: "viewer",
      password: PASSWORD,
      signOffRoles: [],
    });
  });
  cookies.anonymous = null;
  for (const role of ROLES) cookies[role] = await signInCookie(users[role].email);
});

afterAll(async () => {
  await prisma?.$disconnect();
  for (const key of ["preflightPrisma", "preflightAuth", "preflightEnv", "preflightConfig"])
    delete (globalThis as Record<string, unknown>)[key];
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
  process.env = savedEnv;
});

// --- the walk ---

describe("the walk", () => {
  it("finds the server actions and mutating route handlers, and no inline server action", () => {
    expect(inlineActions, 'inline "use server" functions escape this walk: move them to an actions.ts').toEqual([]);
    expect(endpoints.filter((e) => e.kind === "action").length).toBeGreaterThanOrEqual(15);
    expect(endpoints.filter((e) => e.kind === "route").length).toBeGreaterThanOrEqual(6);
  });

  it("has no expectation for an endpoint that no longer exists", () => {
    const found = new Set(endpoints.map((e) => e.key));
    expect(Object.keys(EXPECTATIONS).filter((key) => !found.has(key))).toEqual([]);
  });

  it("compares every table that matters, with real sessions for each role", async () => {
    const tables = Object.keys(await snapshotTables());
    for (const table of [
      "auth_user",
      "invitation",
      "api_token",
      "signoff",
      "signoff_role_assignment",
      "test_run",
      "load_test_run",
      "chaos_run",
      "attestation",
      "audit_log",
      "probe_result",
      "plan_phase",
      "plan_task",
      "limitation",
      "risk",
      "checklist_item",
    ]) {
      expect(tables).toContain(table);
    }
    expect(tables).not.toContain("auth_session");
    const { getActorFromRequest } = await import("../lib/auth/session");
    for (const role of ROLES) {
      const actor = await getActorFromRequest(new Request(ORIGIN, { headers: { cookie: cookies[role] ?? "" } }));
      expect(actor).toMatchObject({ role, signOffRoles: role === "approver" ? [SIGN_OFF_ROLE] : [] });
    }
  });
});

for (const endpoint of endpoints) {
  describe(endpoint.key, () => {
    const expectations = expectationsOf(endpoint.key);
    if (!expectations) {
      it("has a permission expectation", () => {
        throw new Error(
          `no permission expectation for ${endpoint.key}: add one to EXPECTATIONS in tests/permissions.integration.test.ts`,
        );
      });
      return;
    }
    for (const expectation of expectations) {
      for (const caller of CALLERS) {
        const permitted = expectation.permitted.includes(caller);
        it(`${expectation.label ? `${expectation.label} ` : ""}as ${caller}: ${permitted ? "succeeds" : "is refused and changes nothing"}`, async () => {
          const { outcome, changed } = await call(endpoint, expectation, caller);
          const verdict = (expectation.judge ?? judge)(outcome);
          if (permitted) {
            expect(verdict, describeOutcome(outcome)).toBe("success");
          } else {
            expect(verdict, describeOutcome(outcome)).toBe("refused");
            expect(changed.join("; "), `refused, yet changed rows: ${describeOutcome(outcome)}`).toBe("");
          }
        });
      }
    }
  });
}

// The 401s above must come from the missing token, not from a payload the route would refuse anyway.
describe("the evidence routes with a bearer token instead", () => {
  let token = "";
  beforeAll(async () => {
    token = (
      await createToken(prisma, { name: "permissions-ci", scopes: ["evidence:write"], createdBy: "permissions test" })
    ).token;
  });

  for (const endpoint of endpoints.filter((e) => e.key.startsWith("app/api/v1/evidence/"))) {
    it(`${endpoint.key} stores the same payload`, async () => {
      const expectation = expectationsOf(endpoint.key)?.[0];
      if (!expectation) throw new Error(`no permission expectation for ${endpoint.key}`);
      const input = (await expectation.input({
        caller: "anonymous",
        unique: (p) => `${p}-${++sequence}`,
      })) as TRouteInput;
      const request = new Request(`${ORIGIN}${input.path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, ...input.headers },
        body: input.body ?? null,
      });
      const response = (await endpoint.handler(request)) as Response;
      expect(response.status, await response.clone().text()).toBe(201);
    });
  }
});
