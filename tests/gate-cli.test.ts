import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judge } from "../bin/commands.mjs";

// `npx preflight gate`: the real command in a child process, against an HTTP server that answers as the readiness
// API does. The end-to-end suite runs it against the dashboard itself (e2e/evidence.spec.ts).

const BIN = join(import.meta.dirname, "..", "bin", "preflight.mjs");
const TOKEN = `pf_${"a".repeat(43)}`;

type Reply = { status: number; body: string };
const replies = new Map<string, Reply>();
const seenAuth: string[] = [];
const seenQueries: string[] = [];
let server: Server;
let base = "";
let currentCase = "";

const readiness = (overallPct: number | null, blockers: unknown[] = []) =>
  JSON.stringify({
    system: { name: "x0tta6bl4" },
    overallPct,
    gate: { minScorePct: 90 },
    blockers,
    snapshot: { hash: "ab".repeat(32) },
  });

beforeAll(async () => {
  server = createServer((req, res) => {
    seenAuth.push(req.headers.authorization ?? "");
    const url = new URL(req.url ?? "/", "http://gate");
    seenQueries.push(url.search);
    const reply = url.pathname === "/api/v1/readiness" ? replies.get(currentCase) : undefined;
    if (!reply) return void res.writeHead(404).end();
    res.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The caller's environment without PREFLIGHT_* variables, which would change what the command reads.
    const clean: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const key of Object.keys(clean)) if (key.startsWith("PREFLIGHT_") && !(key in env)) delete clean[key];
    const child = spawn(process.execPath, [BIN, ...args], { env: clean });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

async function gateAgainst(reply: Reply, args: string[] = [], env: Record<string, string> = {}) {
  currentCase = `case-${replies.size}`;
  replies.set(currentCase, reply);
  return run(["gate", "--url", base, ...args], env);
}

describe("preflight gate", () => {
  it("exits 0 when the score reaches the minimum and nothing blocks, sending the token as a bearer", async () => {
    seenAuth.length = 0;
    const result = await gateAgainst({ status: 200, body: readiness(92.4) }, ["--token", TOKEN, "--min", "90"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("gate open: x0tta6bl4 scores 92.4 %, at least 90 %");
    expect(seenAuth).toEqual([`Bearer ${TOKEN}`]);
  });

  it("exits 1 below the minimum and says by how much", async () => {
    const result = await gateAgainst({ status: 200, body: readiness(87.96) }, ["--token", TOKEN, "--min", "90"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("score 87.9 % is below the 90 % minimum");
  });

  it("exits 1 when a critical check fails, whatever the score, and names it", async () => {
    const blocker = {
      id: "security-tests",
      name: "Security suite",
      verdict: "failed",
      reason: "3 failed",
      category: "security",
    };
    const result = await gateAgainst({ status: 200, body: readiness(99, [blocker]) }, [
      "--token",
      TOKEN,
      "--min",
      "90",
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('critical check "Security suite" is failed: 3 failed');
  });

  it("uses the dashboard's configured minimum without --min, and takes the token from PREFLIGHT_TOKEN", async () => {
    seenAuth.length = 0;
    expect((await gateAgainst({ status: 200, body: readiness(89.99) }, [], { PREFLIGHT_TOKEN: TOKEN })).code).toBe(1);
    expect((await gateAgainst({ status: 200, body: readiness(90) }, [], { PREFLIGHT_TOKEN: TOKEN })).code).toBe(0);
    expect(seenAuth).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it("exits 1 when nothing is scored yet", async () => {
    const result = await gateAgainst({ status: 200, body: readiness(null) }, ["--token", TOKEN]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("nothing is scored yet");
  });

  it("exits 2 with the server's reason when the token is refused", async () => {
    const result = await gateAgainst({ status: 401, body: JSON.stringify({ error: "unknown token" }) }, [
      "--token",
      TOKEN,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("refused the readiness request (401): unknown token");
  });

  it("exits 2 when the answer is not JSON, or nobody answers", async () => {
    expect((await gateAgainst({ status: 200, body: "<html>" }, ["--token", TOKEN])).stderr).toContain("without JSON");
    const closed = await run(["gate", "--url", "http://127.0.0.1:9", "--token", TOKEN, "--timeout", "5"]);
    expect(closed.code).toBe(2);
    expect(closed.stderr).toContain("could not reach http://127.0.0.1:9");
  });

  it.each([
    [["gate", "--token", TOKEN], "--url is required"],
    [["gate", "--url", "http://x"], "--token (or PREFLIGHT_TOKEN) is required"],
    [["gate", "--url", "http://x", "--token", TOKEN, "--min", "ninety"], '--min "ninety" is not a percentage'],
    [["gate", "--url", "http://x", "--token", TOKEN, "--min", "120"], '--min "120" is not a percentage'],
    [["gate", "--url", "file:///etc/passwd", "--token", TOKEN], "is not an http(s) address"],
    [["gate", "--url", "http://x", "--token", TOKEN, "--bogus"], "Unknown option '--bogus'"],
    [["deploy"], 'unknown command "deploy"'],
  ])("exits 2 on bad usage: %j", async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it("closes without go-live approval and names the missing sign-offs, unless --score-only", async () => {
    const body = JSON.stringify({
      ...JSON.parse(readiness(95)),
      goLive: {
        approved: false,
        missing: ["Security Officer: not signed", 'critical criterion "Load tests" is pending'],
      },
    });
    const closed = await gateAgainst({ status: 200, body }, ["--token", TOKEN, "--min", "90"]);
    expect(closed.code).toBe(1);
    expect(closed.stdout).toContain("sign-off: Security Officer: not signed");
    expect(closed.stdout).not.toContain("sign-off: critical criterion");
    expect((await gateAgainst({ status: 200, body }, ["--token", TOKEN, "--min", "90", "--score-only"])).code).toBe(0);
    const approved = JSON.stringify({ ...JSON.parse(readiness(95)), goLive: { approved: true, missing: [] } });
    const open = await gateAgainst({ status: 200, body: approved }, ["--token", TOKEN, "--min", "90"]);
    expect(open.code).toBe(0);
    expect(open.stdout).toContain("approved for go-live");
  });

  it("judges in one place: a pending critical criterion blocks like a failed one", () => {
    const verdict = judge(
      {
        overallPct: 95,
        blockers: [{ name: "Load tests", verdict: "pending", reason: "no load-test results", category: null }],
      },
      90,
    );
    expect(verdict).toEqual({
      passed: false,
      minimum: 90,
      reasons: ['critical criterion "Load tests" is pending: no load-test results'],
    });
  });

  it("sends --min-budget, --no-fast-burn, --require-soak and --digest/--require-statement as the API's rules, and names each failed rule", async () => {
    const body = JSON.stringify({
      ...JSON.parse(readiness(95)),
      rules: [
        {
          rule: "min-budget",
          passed: false,
          reasons: ['SLO "API availability": 12 % of its error budget left, below 25 %'],
        },
        { rule: "no-fast-burn", passed: true, reasons: [] },
        { rule: "soak", passed: false, reasons: ['soak "Database stable": held 3h 0m of 21h 0m'] },
        { rule: "statement", passed: false, reasons: ["no readiness statement names sha256:ab…"] },
      ],
    });
    const digest = `sha256:${"ab".repeat(32)}`;
    const closed = await gateAgainst({ status: 200, body }, [
      "--token",
      TOKEN,
      "--min",
      "90",
      "--min-budget",
      "25",
      "--no-fast-burn",
      "--require-soak",
      "--digest",
      digest,
      "--require-statement",
    ]);
    expect(closed.code).toBe(1);
    expect(seenQueries.at(-1)).toBe(
      `?minBudget=25&noFastBurn=true&requireSoak=true&digest=${encodeURIComponent(digest)}&requireStatement=true`,
    );
    expect(closed.stdout).toContain('min-budget: SLO "API availability": 12 % of its error budget left, below 25 %');
    expect(closed.stdout).toContain('soak: soak "Database stable": held 3h 0m of 21h 0m');
    expect(closed.stdout).toContain("statement: no readiness statement names sha256:ab…");
    expect(closed.stdout).not.toContain("no-fast-burn");
    const usage = await gateAgainst({ status: 200, body }, ["--token", TOKEN, "--require-statement"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--require-statement needs --digest");
    expect((await gateAgainst({ status: 200, body }, ["--token", TOKEN, "--min-budget", "120"])).code).toBe(2);
  });
});
