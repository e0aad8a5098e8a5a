import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TActor, TRefusal } from "../../auth/actor";
import { ROLES, type TRole } from "../../auth/permissions";
import { createPrismaClient } from "../../db/client";
import type { PrismaClient } from "../../generated/prisma/client";
import { getPlan } from "../../queries/plan";
import { buildTestConfig } from "../../testing/config";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { insertUser } from "../users/schema";
import { deleteLimitation } from "./delete-limitation";
import { deleteRisk } from "./delete-risk";
import { deleteTask } from "./delete-task";
import { saveChecklistItem, ZSaveChecklistItemInput } from "./save-checklist-item";
import { saveLimitation, ZSaveLimitationInput } from "./save-limitation";
import { savePhase, ZSavePhaseInput } from "./save-phase";
import { saveRisk, ZSaveRiskInput } from "./save-risk";
import { saveTask, ZSaveTaskInput } from "./save-task";
import { seedPlan } from "./seed";
import { toggleChecklistItem } from "./toggle-checklist-item";

// The plan's service verbs on a real PostgreSQL: the plan is seeded once and never again; only editors and admins
// may change it (anonymous 401, viewers and approvers 403), a refusal or a bad input changes no row, each success
// writes exactly one audit entry, and the plan as pages read it shows the change.

const NOW = new Date("2026-01-21T12:00:00Z");
const PASSWORD = "correct horse battery staple";

const config = buildTestConfig({
  components: [{ id: "api", name: "API", service: "HTTP", probe: { type: "http", url: "http://127.0.0.1:9/health" } }],
  plan: {
    phases: [
      {
        name: "Validation",
        start: "2026-01-14",
        end: "2026-01-15",
        expectedReadinessPct: 95,
        goal: "95 % pass rate",
        tasks: ["Run the suites"],
      },
      { name: "Production", start: "2026-01-21", end: "2026-01-22", expectedReadinessPct: 100, tasks: [] },
    ],
    criticalPath: [
      { title: "Health checks completed", owner: "Ops", due: "2026-01-14", status: "done" },
      { title: "Load test execution", owner: "Tech", due: "2026-01-15", status: "todo", phase: "Validation" },
    ],
    limitations: [
      {
        title: "No live cluster",
        impact: "Cannot validate staging",
        mitigation: "Manifests validated",
        timeline: "After launch",
      },
    ],
    risks: [
      { title: "Rollback needed", area: "deployment", probability: "rare", impact: "moderate", owner: "Ops" },
      { title: "Resource exhaustion", probability: 3, impact: 4 },
    ],
    recommendations: ["Execute the tests now"],
    preDeployment: ["All tests passed", "Security scan completed"],
    postDeployment: ["24-hour active monitoring"],
  },
});

let database: TestDatabase;
let prisma: PrismaClient;
let deps: { prisma: PrismaClient };
const actors = {} as Record<TRole, TActor>;
const unique = (what: string) => `${what} ${randomUUID().slice(0, 8)}`;

/** Every row of the plan's tables and the audit log's length: a refusal must leave them exactly as they were. */
async function snapshot() {
  const [phases, tasks, limitations, risks, checklist, audit] = await Promise.all([
    prisma.planPhase.findMany({ orderBy: { id: "asc" } }),
    prisma.planTask.findMany({ orderBy: { id: "asc" } }),
    prisma.limitation.findMany({ orderBy: { id: "asc" } }),
    prisma.risk.findMany({ orderBy: { id: "asc" } }),
    prisma.checklistItem.findMany({ orderBy: { id: "asc" } }),
    prisma.auditLog.count(),
  ]);
  return { phases, tasks, limitations, risks, checklist, audit };
}

async function withAudit<T>(run: () => Promise<T>) {
  const last = await prisma.auditLog.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  const result = await run();
  const entries = await prisma.auditLog.findMany({ where: { id: { gt: last?.id ?? 0n } }, orderBy: { id: "asc" } });
  return { result, entries };
}

// --- factories: rows of this file's own, made directly ---

const makePhase = async (data: { startDate?: Date; endDate?: Date } = {}) =>
  prisma.planPhase.create({ data: { name: unique("phase"), position: 100, ...data } });
const makeTask = async () =>
  prisma.planTask.create({ data: { title: unique("task"), owner: "Owner", position: 100, criticalPath: true } });
const makeRisk = async () => prisma.risk.create({ data: { title: unique("risk"), probability: 2, impact: 2 } });
const makeLimitation = async () => prisma.limitation.create({ data: { title: unique("limitation"), position: 100 } });
const makeItem = async () =>
  prisma.checklistItem.create({ data: { kind: "pre_deployment", text: unique("item"), position: 100 } });

type TResult = { ok: true } | TRefusal;
type TCase = { name: string; action: string; call: (actor: TActor | null) => Promise<() => Promise<TResult>> };

/** Each verb, with a valid input built fresh (and its fixture made) before the call. */
const CASES: TCase[] = [
  {
    name: "saveTask (create)",
    action: "plan.task.create",
    call: async (actor) => {
      const phase = await makePhase();
      return () =>
        saveTask(
          deps,
          actor,
          {
            title: unique("task"),
            owner: "Ops",
            dueDate: "2026-01-22",
            status: "todo",
            criticalPath: true,
            phaseId: phase.id,
            notes: "",
          },
          NOW,
        );
    },
  },
  {
    name: "saveTask (update)",
    action: "plan.task.update",
    call: async (actor) => {
      const task = await makeTask();
      return () =>
        saveTask(
          deps,
          actor,
          { id: task.id, status: "in_progress", owner: "Someone else", dueDate: "2026-01-25" },
          NOW,
        );
    },
  },
  {
    name: "deleteTask",
    action: "plan.task.delete",
    call: async (actor) =>
      (
        (task) => () =>
          deleteTask(deps, actor, { id: task.id }, NOW)
      )(await makeTask()),
  },
  {
    name: "saveRisk (create)",
    action: "plan.risk.create",
    call: async (actor) => () =>
      saveRisk(
        deps,
        actor,
        {
          title: unique("risk"),
          area: "operational",
          probability: "4",
          impact: "5",
          mitigation: "Scale out",
          owner: "Ops",
          status: "open",
        },
        NOW,
      ),
  },
  {
    name: "saveRisk (update)",
    action: "plan.risk.update",
    call: async (actor) =>
      (
        (risk) => () =>
          saveRisk(deps, actor, { id: risk.id, impact: 5, status: "accepted" }, NOW)
      )(await makeRisk()),
  },
  {
    name: "deleteRisk",
    action: "plan.risk.delete",
    call: async (actor) =>
      (
        (risk) => () =>
          deleteRisk(deps, actor, { id: risk.id }, NOW)
      )(await makeRisk()),
  },
  {
    name: "saveLimitation (create)",
    action: "plan.limitation.create",
    call: async (actor) => () =>
      saveLimitation(
        deps,
        actor,
        { title: unique("limitation"), impact: "Some", mitigation: "Some", timeline: "Soon", blocking: true },
        NOW,
      ),
  },
  {
    name: "saveLimitation (update)",
    action: "plan.limitation.update",
    call: async (actor) =>
      (
        (l) => () =>
          saveLimitation(deps, actor, { id: l.id, resolved: true, mitigation: "Done it" }, NOW)
      )(await makeLimitation()),
  },
  {
    name: "deleteLimitation",
    action: "plan.limitation.delete",
    call: async (actor) =>
      (
        (l) => () =>
          deleteLimitation(deps, actor, { id: l.id }, NOW)
      )(await makeLimitation()),
  },
  {
    name: "savePhase (create)",
    action: "plan.phase.create",
    call: async (actor) => () =>
      savePhase(
        deps,
        actor,
        { name: unique("phase"), start: "2026-02-01", end: "2026-02-03", expectedReadinessPct: "98", goal: "Go" },
        NOW,
      ),
  },
  {
    name: "savePhase (update)",
    action: "plan.phase.update",
    call: async (actor) =>
      (
        (p) => () =>
          savePhase(deps, actor, { id: p.id, expectedReadinessPct: 50 }, NOW)
      )(await makePhase()),
  },
  {
    name: "toggleChecklistItem",
    action: "plan.checklist.toggle",
    call: async (actor) =>
      (
        (i) => () =>
          toggleChecklistItem(deps, actor, { id: i.id, done: true }, NOW)
      )(await makeItem()),
  },
  {
    name: "saveChecklistItem (create)",
    action: "plan.checklist.create",
    call: async (actor) => () =>
      saveChecklistItem(deps, actor, { kind: "post_deployment", text: unique("watch") }, NOW),
  },
  {
    name: "saveChecklistItem (update)",
    action: "plan.checklist.update",
    call: async (actor) =>
      (
        (i) => () =>
          saveChecklistItem(deps, actor, { id: i.id, text: unique("reworded") }, NOW)
      )(await makeItem()),
  },
];

const REFUSED: [string, () => TActor | null, 401 | 403][] = [
  ["anonymous", () => null, 401],
  ["a viewer", () => actors.viewer, 403],
  ["an approver", () => actors.approver, 403],
];
const PERMITTED: [string, () => TActor][] = [
  ["an editor", () => actors.editor],
  ["an admin", () => actors.admin],
];

beforeAll(async () => {
  database = await createTestDatabase("pf_plan");
  prisma = createPrismaClient(database.url, 2);
  deps = { prisma };
  await prisma.$transaction(async (tx) => {
    for (const role of ROLES) {
      const user = await insertUser(tx, {
        email: `${role}@plan.test`,
        name: `The ${role}`,
        role,
        password: PASSWORD,
        signOffRoles: [],
      });
      actors[role] = { id: user.id, name: user.name, email: user.email, role, signOffRoles: [] };
    }
  });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

describe("seedPlan", () => {
  it("seeds the configured plan once, audited, and a second run changes nothing", async () => {
    const first = await withAudit(() => seedPlan(prisma, config.plan, NOW));
    expect(first.result).toEqual({ seeded: true });
    expect(first.entries.map((e) => e.action)).toEqual(["plan.seed"]);
    const plan = await getPlan(prisma, NOW);
    expect(plan.seeded).toBe(true);
    expect(plan.phases.map((p) => [p.name, p.startDate, p.endDate, p.expectedReadinessPct])).toEqual([
      ["Validation", "2026-01-14", "2026-01-15", 95],
      ["Production", "2026-01-21", "2026-01-22", 100],
    ]);
    expect(plan.criticalPath.map((t) => [t.title, t.status, t.phaseName, t.overdue])).toEqual([
      ["Health checks completed", "done", null, false],
      ["Load test execution", "todo", "Validation", true],
    ]);
    expect(plan.risks.map((r) => [r.title, r.score, r.level])).toEqual([
      ["Resource exhaustion", 12, "medium"],
      ["Rollback needed", 3, "low"],
    ]);
    expect([
      plan.recommendations.length,
      plan.preDeployment.length,
      plan.postDeployment.length,
      plan.limitations.length,
    ]).toEqual([1, 2, 1, 1]);

    const before = await snapshot();
    const second = await withAudit(() => seedPlan(prisma, config.plan, NOW));
    expect(second.result).toEqual({ seeded: false });
    expect(second.entries).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("does not bring back a seeded risk an editor deleted", async () => {
    const risk = await prisma.risk.findFirstOrThrow({ where: { title: "Rollback needed" } });
    expect(await deleteRisk(deps, actors.editor, { id: risk.id }, NOW)).toEqual({ ok: true, id: risk.id });
    const before = await snapshot();
    expect(await seedPlan(prisma, config.plan, NOW)).toEqual({ seeded: false });
    expect(await snapshot()).toEqual(before);
    expect(await prisma.risk.count({ where: { title: "Rollback needed" } })).toBe(0);
  });

  it("seeds nothing without a plan in the configuration", async () => {
    const before = await snapshot();
    expect(await seedPlan(prisma, undefined, NOW)).toEqual({ seeded: false });
    expect(await snapshot()).toEqual(before);
  });
});

describe.each(CASES)("$name", ({ action, call }) => {
  it.each(REFUSED)("refuses %s and changes nothing", async (_who, actor, status) => {
    const run = await call(actor());
    const before = await snapshot();
    const result = await run();
    expect(result).toMatchObject({ ok: false, status });
    expect(await snapshot()).toEqual(before);
  });

  it.each(PERMITTED)(`lets %s do it, with one "${action}" audit entry`, async (_who, actor) => {
    const who = actor();
    const run = await call(who);
    const { result, entries } = await withAudit(run);
    expect(result).toMatchObject({ ok: true });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action, actorType: "user", actorId: who.id });
    if (!result.ok) throw new Error("unreachable");
    expect(entries[0]?.entityId).toBe((result as { id?: string }).id);
  });
});

describe("validation", () => {
  const refusedWith = async (run: () => Promise<TResult>, status: number, field: string, message?: RegExp) => {
    const before = await snapshot();
    const result = await run();
    expect(result).toMatchObject({ ok: false, status });
    if (result.ok) throw new Error("unreachable");
    const messages = result.fieldErrors?.[field] ?? [];
    expect(messages.length, `field errors: ${JSON.stringify(result.fieldErrors)}`).toBeGreaterThan(0);
    if (message) expect(messages.join("; ")).toMatch(message);
    expect(result.message).toContain(field);
    expect(await snapshot()).toEqual(before);
  };

  it("names the field of a bad date, and says what a date looks like", async () => {
    await refusedWith(
      () => saveTask(deps, actors.editor, { title: "T", dueDate: "21/01/2026" }, NOW),
      422,
      "dueDate",
      /expected a date such as 2026-01-21/,
    );
    await refusedWith(
      () => saveTask(deps, actors.editor, { title: "T", dueDate: "2026-02-30" }, NOW),
      422,
      "dueDate",
      /2026-01-21/,
    );
    await refusedWith(
      () => savePhase(deps, actors.editor, { name: "P", start: "soon" }, NOW),
      422,
      "start",
      /2026-01-21/,
    );
  });

  it("wants a title for a new task, and a known status and phase", async () => {
    await refusedWith(() => saveTask(deps, actors.editor, { owner: "Ops" }, NOW), 422, "title");
    await refusedWith(() => saveTask(deps, actors.editor, { title: "   " }, NOW), 422, "title", /expected a title/);
    await refusedWith(
      () => saveTask(deps, actors.editor, { title: "T", status: "later" }, NOW),
      422,
      "status",
      /todo, in_progress, done or blocked/,
    );
    await refusedWith(
      () => saveTask(deps, actors.editor, { title: "T", phaseId: randomUUID() }, NOW),
      422,
      "phaseId",
      /no such phase/,
    );
    await refusedWith(
      () => saveTask(deps, actors.editor, { title: "T", criticalPath: "yes" }, NOW),
      422,
      "criticalPath",
    );
  });

  it("keeps probability and impact within 1-5", async () => {
    await refusedWith(
      () => saveRisk(deps, actors.editor, { title: "R", probability: 6, impact: 3 }, NOW),
      422,
      "probability",
      /probability from 1 \(rare\) to 5 \(almost certain\)/,
    );
    await refusedWith(
      () => saveRisk(deps, actors.editor, { title: "R", probability: "0", impact: 3 }, NOW),
      422,
      "probability",
    );
    await refusedWith(
      () => saveRisk(deps, actors.editor, { title: "R", probability: 2, impact: "huge" }, NOW),
      422,
      "impact",
      /impact from 1 \(negligible\) to 5 \(severe\)/,
    );
    await refusedWith(
      () => saveRisk(deps, actors.editor, { title: "R", probability: 2.5, impact: 2 }, NOW),
      422,
      "probability",
    );
    await refusedWith(
      () => saveRisk(deps, actors.editor, { title: "R", impact: 2 }, NOW),
      422,
      "probability",
      /new entry/,
    );
    await refusedWith(
      () => saveRisk(deps, actors.editor, { title: "R", probability: 2, impact: 2, status: "gone" }, NOW),
      422,
      "status",
    );
  });

  it("refuses a phase that ends before it starts, also when only one date changes", async () => {
    await refusedWith(
      () => savePhase(deps, actors.editor, { name: "P", start: "2026-02-05", end: "2026-02-01" }, NOW),
      422,
      "end",
      /on or after the start \(2026-02-05\)/,
    );
    const phase = await makePhase({
      startDate: new Date("2026-02-05T00:00:00Z"),
      endDate: new Date("2026-02-07T00:00:00Z"),
    });
    await refusedWith(() => savePhase(deps, actors.editor, { id: phase.id, end: "2026-02-04" }, NOW), 422, "end");
    await refusedWith(() => savePhase(deps, actors.editor, { id: phase.id, start: "2026-02-08" }, NOW), 422, "end");
    await refusedWith(
      () => savePhase(deps, actors.editor, { name: "P", expectedReadinessPct: 120 }, NOW),
      422,
      "expectedReadinessPct",
      /0 to 100/,
    );
    // A one-day phase is fine.
    expect(await savePhase(deps, actors.editor, { id: phase.id, end: "2026-02-05" }, NOW)).toMatchObject({
      ok: true,
      created: false,
    });
  });

  it("wants a known list and some text for a checklist item, and true or false to tick it", async () => {
    await refusedWith(
      () => saveChecklistItem(deps, actors.editor, { kind: "someday", text: "X" }, NOW),
      422,
      "kind",
      /recommendation, pre_deployment or post_deployment/,
    );
    await refusedWith(
      () => saveChecklistItem(deps, actors.editor, { kind: "pre_deployment", text: " " }, NOW),
      422,
      "text",
    );
    const item = await makeItem();
    await refusedWith(
      () => toggleChecklistItem(deps, actors.editor, { id: item.id, done: "yes" }, NOW),
      422,
      "done",
      /true or false/,
    );
  });

  it("names the id that is not an id, and refuses fields it does not know", async () => {
    await refusedWith(
      () => deleteTask(deps, actors.editor, { id: "not-an-id" }, NOW),
      422,
      "id",
      /expected the id of a task/,
    );
    await refusedWith(() => toggleChecklistItem(deps, actors.editor, { id: 42, done: true }, NOW), 422, "id");
    await refusedWith(
      () => saveLimitation(deps, actors.editor, { title: "L", severity: "high" }, NOW),
      422,
      "form",
      /severity/,
    );
  });

  it("answers 404 for an id that does not exist, writing nothing", async () => {
    const missing = randomUUID();
    for (const run of [
      () => saveTask(deps, actors.editor, { id: missing, status: "done" }, NOW),
      () => deleteTask(deps, actors.editor, { id: missing }, NOW),
      () => saveRisk(deps, actors.editor, { id: missing, impact: 2 }, NOW),
      () => deleteRisk(deps, actors.editor, { id: missing }, NOW),
      () => saveLimitation(deps, actors.editor, { id: missing, resolved: true }, NOW),
      () => deleteLimitation(deps, actors.editor, { id: missing }, NOW),
      () => savePhase(deps, actors.editor, { id: missing, name: "P" }, NOW),
      () => toggleChecklistItem(deps, actors.editor, { id: missing, done: true }, NOW),
      () => saveChecklistItem(deps, actors.editor, { id: missing, text: "X" }, NOW),
    ]) {
      const before = await snapshot();
      expect(await run()).toMatchObject({ ok: false, status: 404 });
      expect(await snapshot()).toEqual(before);
    }
  });
});

describe("the plan as pages read it", () => {
  const taskIn = async (id: string, now = NOW) => (await getPlan(prisma, now)).criticalPath.find((t) => t.id === id);

  it("flags a critical-path task overdue once its due day has passed, and not once it is done", async () => {
    const created = await saveTask(
      deps,
      actors.editor,
      { title: unique("ship"), owner: "Ops", dueDate: "2026-01-22", criticalPath: true },
      NOW,
    );
    if (!created.ok) throw new Error(created.message);
    const overdueBefore = (await getPlan(prisma, NOW)).overdue;
    expect(await taskIn(created.id)).toMatchObject({ dueDate: "2026-01-22", status: "todo", overdue: false });

    expect(await saveTask(deps, actors.editor, { id: created.id, dueDate: "2026-01-20" }, NOW)).toMatchObject({
      ok: true,
    });
    expect(await taskIn(created.id)).toMatchObject({ dueDate: "2026-01-20", overdue: true, owner: "Ops" });
    expect((await getPlan(prisma, NOW)).overdue).toBe(overdueBefore + 1);

    // Due today is not overdue; done is never overdue; no due date is never overdue.
    await saveTask(deps, actors.editor, { id: created.id, dueDate: "2026-01-21" }, NOW);
    expect(await taskIn(created.id)).toMatchObject({ overdue: false });
    await saveTask(deps, actors.editor, { id: created.id, dueDate: "2026-01-01", status: "done" }, NOW);
    expect(await taskIn(created.id)).toMatchObject({ overdue: false, status: "done" });
    await saveTask(deps, actors.editor, { id: created.id, dueDate: "", status: "blocked" }, NOW);
    expect(await taskIn(created.id)).toMatchObject({ dueDate: null, overdue: false, status: "blocked" });
  });

  it("leaves out of an update what the input leaves out, and moves a task off the critical path", async () => {
    const phase = await makePhase();
    const created = await saveTask(
      deps,
      actors.admin,
      {
        title: unique("deploy"),
        owner: "Ops",
        dueDate: "2026-01-30",
        phaseId: phase.id,
        criticalPath: true,
        notes: "blue-green",
      },
      NOW,
    );
    if (!created.ok) throw new Error(created.message);
    await saveTask(deps, actors.editor, { id: created.id, status: "in_progress" }, NOW);
    expect(await taskIn(created.id)).toMatchObject({
      owner: "Ops",
      dueDate: "2026-01-30",
      phaseId: phase.id,
      phaseName: phase.name,
      notes: "blue-green",
      status: "in_progress",
    });
    await saveTask(deps, actors.editor, { id: created.id, criticalPath: false }, NOW);
    const plan = await getPlan(prisma, NOW);
    expect(plan.criticalPath.find((t) => t.id === created.id)).toBeUndefined();
    expect(plan.phases.find((p) => p.id === phase.id)?.tasks.map((t) => t.id)).toEqual([created.id]);
  });

  it("scores and bands a risk from its probability and impact, and records before and after", async () => {
    const created = await saveRisk(
      deps,
      actors.editor,
      { title: unique("outage"), probability: "likely", impact: "4" },
      NOW,
    );
    if (!created.ok) throw new Error(created.message);
    const riskIn = async () => (await getPlan(prisma, NOW)).risks.find((r) => r.id === created.id);
    expect(await riskIn()).toMatchObject({
      probability: 4,
      impact: 4,
      probabilityLabel: "likely",
      impactLabel: "major",
      score: 16,
      level: "high",
      area: "operational",
      status: "open",
    });
    const { entries } = await withAudit(() =>
      saveRisk(deps, actors.editor, { id: created.id, impact: 1, status: "mitigated" }, NOW),
    );
    expect(await riskIn()).toMatchObject({ score: 4, level: "low", impactLabel: "negligible", status: "mitigated" });
    expect(entries[0]).toMatchObject({
      action: "plan.risk.update",
      before: { impact: 4, score: 16, status: "open" },
      after: { impact: 1, score: 4, status: "mitigated" },
    });
  });

  it("resolves a blocker once, keeping the first time, and reopens it", async () => {
    const created = await saveLimitation(deps, actors.editor, { title: unique("no cluster"), blocking: true }, NOW);
    if (!created.ok) throw new Error(created.message);
    const find = async () => (await getPlan(prisma, NOW)).limitations.find((l) => l.id === created.id);
    expect(await find()).toMatchObject({ blocking: true, resolvedAt: null });
    await saveLimitation(deps, actors.editor, { id: created.id, resolved: true }, NOW);
    await saveLimitation(
      deps,
      actors.editor,
      { id: created.id, resolved: true, timeline: "Done" },
      new Date(NOW.getTime() + 3_600_000),
    );
    expect(await find()).toMatchObject({ resolvedAt: NOW.toISOString(), timeline: "Done" });
    await saveLimitation(deps, actors.editor, { id: created.id, resolved: false }, NOW);
    expect(await find()).toMatchObject({ resolvedAt: null });
  });

  it("shows phase edits, ticked items, and moved items", async () => {
    const phase = await savePhase(
      deps,
      actors.editor,
      {
        name: unique("canary"),
        start: "2026-01-23",
        end: "2026-01-24",
        expectedReadinessPct: "99.5",
        goal: "10 % → 100 %",
      },
      NOW,
    );
    if (!phase.ok) throw new Error(phase.message);
    await savePhase(deps, actors.editor, { id: phase.id, expectedReadinessPct: "" }, NOW);
    expect((await getPlan(prisma, NOW)).phases.find((p) => p.id === phase.id)).toMatchObject({
      startDate: "2026-01-23",
      endDate: "2026-01-24",
      expectedReadinessPct: null,
      goal: "10 % → 100 %",
    });

    const item = await saveChecklistItem(
      deps,
      actors.editor,
      { kind: "pre_deployment", text: unique("runbooks") },
      NOW,
    );
    if (!item.ok) throw new Error(item.message);
    await toggleChecklistItem(deps, actors.editor, { id: item.id, done: true }, NOW);
    let plan = await getPlan(prisma, NOW);
    expect(plan.preDeployment.at(-1)).toMatchObject({ id: item.id, done: true });
    await saveChecklistItem(deps, actors.editor, { id: item.id, kind: "post_deployment" }, NOW);
    plan = await getPlan(prisma, NOW);
    expect(plan.preDeployment.map((i) => i.id)).not.toContain(item.id);
    expect(plan.postDeployment.at(-1)).toMatchObject({ id: item.id, done: true });
  });

  it("forgets a deleted task and keeps it in the audit log", async () => {
    const task = await makeTask();
    const { entries } = await withAudit(() => deleteTask(deps, actors.editor, { id: task.id }, NOW));
    expect((await getPlan(prisma, NOW)).criticalPath.find((t) => t.id === task.id)).toBeUndefined();
    expect(entries[0]).toMatchObject({
      action: "plan.task.delete",
      entityType: "plan_task",
      entityId: task.id,
      before: { title: task.title, owner: "Owner" },
      after: null,
    });
  });
});

// The input policy on every field of every plan form: each field of each save's schema (walked from the schema,
// so a field added later is walked too) with a control character in it is a field error on that field, never a 5xx
// from PostgreSQL refusing NUL, and changes nothing; tab, newline and carriage return are kept.
describe("every field of every plan form, with a control character in it", () => {
  const SAVES = [
    {
      name: "saveTask",
      schema: ZSaveTaskInput,
      save: saveTask,
      valid: () => ({ title: unique("task"), owner: "Ops", notes: "n" }),
    },
    {
      name: "saveRisk",
      schema: ZSaveRiskInput,
      save: saveRisk,
      valid: () => ({
        title: unique("risk"),
        area: "operational",
        probability: "2",
        impact: "3",
        mitigation: "m",
        owner: "o",
      }),
    },
    {
      name: "saveLimitation",
      schema: ZSaveLimitationInput,
      save: saveLimitation,
      valid: () => ({ title: unique("limitation"), impact: "i", mitigation: "m", timeline: "t" }),
    },
    {
      name: "savePhase",
      schema: ZSavePhaseInput,
      save: savePhase,
      valid: () => ({ name: unique("phase"), goal: "g" }),
    },
    {
      name: "saveChecklistItem",
      schema: ZSaveChecklistItemInput,
      save: saveChecklistItem,
      valid: () => ({ kind: "pre_deployment", text: unique("item") }),
    },
  ] as const;
  const rows = SAVES.flatMap((s) =>
    Object.keys(s.schema.shape).map((field) => [`${s.name}.${field}`, s, field] as const),
  );

  it.each(rows)("%s", async (_name, s, field) => {
    const before = await snapshot();
    for (const bad of ["a\u0000b", "\u001b[2Jcleared", "x\u0085y", "\ud800"]) {
      const result = (await s.save(deps, actors.editor, { ...s.valid(), [field]: bad }, NOW)) as TResult;
      expect(result.ok, `${field}=${JSON.stringify(bad)}`).toBe(false);
      if (result.ok) continue;
      expect(result.status).toBeLessThan(500);
      expect(result.fieldErrors?.[field], JSON.stringify(result)).toBeDefined();
    }
    expect(await snapshot()).toEqual(before);
  });

  it("keeps tab, line feed and carriage return in text", async () => {
    const result = await saveRisk(
      deps,
      actors.editor,
      { title: unique("risk"), probability: 2, impact: 2, mitigation: "step 1\tthen\r\nstep 2" },
      NOW,
    );
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect((await prisma.risk.findUniqueOrThrow({ where: { id: result.id } })).mitigation).toBe(
      "step 1\tthen\r\nstep 2",
    );
  });
});
