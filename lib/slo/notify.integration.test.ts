import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { buildTestConfig } from "../testing/config";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { deliverDueNotifications } from "../worker/notifier";
import { announceSloAlerts, sloTransitions } from "./notify";
import type { TSloResult } from "./read";

// SLO alerts as notification events on the real PostgreSQL: raised once when an SLO enters fast burn or exhausts
// its budget, cleared once when it leaves; routed by each webhook's events and components; delivered as Preflight's
// JSON and as a Slack line to a real HTTP receiver.

let database: TestDatabase;
let prisma: PrismaClient;
let receiver: Server;
let url = "";
const received: { path: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  database = await createTestDatabase("pf_slo_notify");
  prisma = createPrismaClient(database.url, 2);
  receiver = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
  await new Promise((resolve) => receiver?.close(resolve));
});

const slo = (over: Partial<TSloResult>): TSloResult =>
  ({
    id: "api-availability",
    name: "API availability",
    description: null,
    kind: "availability",
    target: { component: "api" },
    objective: 99.9,
    windowMs: 30 * 86_400_000,
    window: "30d",
    unit: "ms",
    sli: 99.95,
    amounts: { good: 1, bad: 0, unknown: 0 },
    budget: { allowed: 100, consumed: 50, consumedPct: 50, remainingPct: 50, exhaustsInMs: null },
    burn: { "5m": 0, "30m": 0, "1h": 0, "6h": 0, "3d": 0 },
    alert: null,
    state: "ok",
    coverage: 1,
    series: [],
    source: "probe history",
    reason: null,
    ...over,
  }) as TSloResult;

describe("SLO alerts as notification events", () => {
  it("names what changed", () => {
    const quiet = { fastBurn: false, exhausted: false };
    expect(sloTransitions(quiet, { fastBurn: true, exhausted: true })).toEqual([
      { event: "slo-fast-burn", status: "raised" },
      { event: "slo-exhausted", status: "raised" },
    ]);
    expect(sloTransitions({ fastBurn: true, exhausted: true }, { fastBurn: false, exhausted: true })).toEqual([
      { event: "slo-fast-burn", status: "cleared" },
    ]);
    expect(sloTransitions(quiet, quiet)).toEqual([]);
  });

  it("raises once, clears once, routes by events and components, and delivers JSON and Slack", async () => {
    const config = buildTestConfig({
      system: { name: "x0" },
      components: [
        { id: "api", name: "API", service: "S", probe: { type: "tcp", host: "127.0.0.1", port: 1 } },
        { id: "db", name: "DB", service: "S", probe: { type: "tcp", host: "127.0.0.1", port: 1 } },
      ],
      slos: [
        {
          id: "api-availability",
          name: "API availability",
          component: "api",
          sli: { availability: {} },
          objective: 99.9,
        },
      ],
      notifications: {
        webhooks: [
          { name: "all", url: `${url}/all`, format: "json" },
          { name: "burn-only", url: `${url}/burn`, format: "slack", events: ["slo-fast-burn"] },
          { name: "db-only", url: `${url}/db`, format: "json", components: ["db"] },
          { name: "states-only", url: `${url}/states`, format: "json", events: ["down", "up"] },
        ],
      },
    });
    const at = (s: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, s));
    const deps = { prisma, config };
    expect(await announceSloAlerts({ ...deps, now: at(0), slos: [slo({})] })).toBe(0);
    const burning = slo({
      alert: "fast burn",
      state: "exhausted",
      sli: 98.1,
      budget: { allowed: 100, consumed: 180, consumedPct: 180, remainingPct: -80, exhaustsInMs: 0 },
      burn: { "5m": 20, "30m": 19, "1h": 18.5, "6h": 3, "3d": 0.5 },
    });
    // all: both events; burn-only: the fast burn; db-only and states-only: nothing.
    expect(await announceSloAlerts({ ...deps, now: at(60), slos: [burning] })).toBe(3);
    expect(await announceSloAlerts({ ...deps, now: at(120), slos: [burning] })).toBe(0);
    // No data says nothing: the announced state stands.
    expect(await announceSloAlerts({ ...deps, now: at(150), slos: [slo({ state: "no data" })] })).toBe(0);
    // Back to normal: both cleared for "all", the fast burn cleared for "burn-only".
    expect(await announceSloAlerts({ ...deps, now: at(180), slos: [slo({})] })).toBe(3);

    const rows = await prisma.notificationOutbox.findMany({ orderBy: { id: "asc" } });
    expect(
      rows.map((r) => [r.webhook, (r.payload as { event: string }).event, (r.payload as { status: string }).status]),
    ).toEqual([
      ["all", "slo-fast-burn", "raised"],
      ["burn-only", "slo-fast-burn", "raised"],
      ["all", "slo-exhausted", "raised"],
      ["all", "slo-fast-burn", "cleared"],
      ["burn-only", "slo-fast-burn", "cleared"],
      ["all", "slo-exhausted", "cleared"],
    ]);

    for (let i = 0; i < 3; i++)
      await deliverDueNotifications({
        prisma,
        webhooks: config.notifications.webhooks,
        systemName: "x0",
        logger: pino({ level: "silent" }),
      });
    expect(received).toHaveLength(6);
    expect(received[0]).toEqual({
      path: "/all",
      body: expect.objectContaining({
        system: "x0",
        event: "slo-fast-burn",
        status: "raised",
        slo: "api-availability",
        burn1h: 18.5,
      }),
    });
    const slack = received.filter((r) => r.path === "/burn").map((r) => String(r.body.text));
    expect(slack.sort()).toEqual([
      ':large_green_circle: x0: SLO "API availability" is no longer in fast burn since 2026-06-01T12:03:00.000Z (SLI 99.95 % against 99.9 % over 30d, 50 % of the budget left, 1 h burn 0×)',
      ':red_circle: x0: SLO "API availability" is in FAST BURN since 2026-06-01T12:01:00.000Z (SLI 98.1 % against 99.9 % over 30d, -80 % of the budget left, 1 h burn 18.5×)',
    ]);
  });
});
