// The commands of bin/preflight.mjs, importable by tests. preflight: the command line of a Preflight dashboard, for CI.
//
//   npx preflight gate --url https://preflight.example.com --token "$PREFLIGHT_TOKEN" --min 90
//
// Exit codes: 0 the gate is open (score at least --min and no critical check or criterion unpassed), 1 it is
// closed (what blocks it is printed), 2 the question could not be asked (usage, network, token, server error).
// Plain JavaScript on Node's own fetch, so it runs from a bare checkout without a build.
import { parseArgs } from "node:util";
import { verify } from "./verify-statement.mjs";

const USAGE = `usage: preflight gate --url URL [--token TOKEN] [--min PERCENT] [--score-only] [--timeout SECONDS]
  --url      the dashboard's address (or PREFLIGHT_URL)
  --token    an API token with the readiness:read scope (or PREFLIGHT_TOKEN, which keeps it out of the process list)
  --min      the overall score the gate needs, 0-100 (default: the dashboard's configured gate)
  --score-only  judge the score and critical checks only, not the sign-off (for pipelines before approval)
  --timeout  seconds to wait for the dashboard (default 30)
  --min-budget PERCENT  every SLO keeps at least this much of its error budget
  --no-fast-burn        no SLO is in fast burn
  --require-soak        every soaking check (holdFor) has held its time
  --digest ALG:HEX      the artefact being deployed; with --require-statement, a readiness statement naming it
                        must stand (issued on approval, not void)
       preflight verify STATEMENT.json --key PUBLIC_KEY.pem [--digest ALG:HEX]
  checks a signed readiness statement offline (see preflight verify --help)`;

function usage(message) {
  if (message) console.error(`preflight: ${message}`);
  console.error(USAGE);
  return 2;
}

// The server writes every figure (lib/format.ts) in `display` fields; this fallback is for a server without them.
const pct = (n) => `${(Math.floor(n * 10) / 10).toFixed(1)} %`; // format-ok: fallback for servers without display fields

/**
 * The verdict from a readiness response: open only with the score at the minimum, no blocker, and (unless
 * scoreOnly) the release approved for go-live by every required sign-off role.
 */
export function judge(body, min, scoreOnly = false) {
  const reasons = [];
  const minimum = min ?? body?.gate?.minScorePct ?? 90;
  if (typeof body?.overallPct !== "number") reasons.push("nothing is scored yet: no check has evidence");
  else if (body.overallPct < minimum)
    reasons.push(`score ${body.display?.overall ?? pct(body.overallPct)} is below the ${minimum} % minimum`);
  for (const b of Array.isArray(body?.blockers) ? body.blockers : []) {
    reasons.push(
      typeof b.display === "string"
        ? b.display
        : `critical ${b.category === null ? "criterion" : "check"} "${b.name}" is ${b.verdict}${b.reason ? `: ${b.reason}` : ""}`,
    );
  }
  // The rules the request added (--min-budget, --no-fast-burn, --require-soak, --require-statement), by name.
  for (const rule of Array.isArray(body?.rules) ? body.rules : []) {
    if (rule?.passed === true) continue;
    const lines = Array.isArray(rule?.reasons) && rule.reasons.length > 0 ? rule.reasons : ["failed"];
    for (const line of lines) reasons.push(`${rule?.rule ?? "rule"}: ${line}`);
  }
  if (!scoreOnly && body?.goLive && body.goLive.approved !== true) {
    // Critical criteria are already listed above as blockers; the sign-off lines are what the score does not say.
    // Go-live also needs the configured gate open: its lines are said once, unless --min already said them.
    for (const missing of Array.isArray(body.goLive.missing) ? body.goLive.missing : []) {
      const text = String(missing);
      if (text.startsWith("critical criterion")) continue;
      if (text.startsWith("readiness gate: ")) {
        if (!reasons.includes(text.slice("readiness gate: ".length))) reasons.push(`go-live: ${text}`);
        continue;
      }
      reasons.push(`sign-off: ${text}`);
    }
    if (reasons.length === 0) reasons.push("not approved for go-live");
  }
  return { passed: reasons.length === 0, minimum, reasons };
}

export async function gate(argv, env = process.env, out = console) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: "string" },
        token: { type: "string" },
        min: { type: "string" },
        timeout: { type: "string" },
        "score-only": { type: "boolean" },
        "min-budget": { type: "string" },
        "no-fast-burn": { type: "boolean" },
        "require-soak": { type: "boolean" },
        digest: { type: "string" },
        "require-statement": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    return usage(error.message);
  }
  if (values.help) {
    out.log(USAGE);
    return 0;
  }
  const base = values.url ?? env.PREFLIGHT_URL;
  const token = values.token ?? env.PREFLIGHT_TOKEN;
  if (!base) return usage("--url is required");
  if (!token) return usage("--token (or PREFLIGHT_TOKEN) is required");
  let url;
  try {
    url = new URL("/api/v1/readiness", base);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
  } catch {
    return usage(`--url "${base}" is not an http(s) address`);
  }
  let min;
  if (values.min !== undefined) {
    min = Number(values.min);
    if (values.min.trim() === "" || !Number.isFinite(min) || min < 0 || min > 100)
      return usage(`--min "${values.min}" is not a percentage between 0 and 100`);
  }
  if (values["min-budget"] !== undefined) {
    const budget = Number(values["min-budget"]);
    if (values["min-budget"].trim() === "" || !Number.isFinite(budget) || budget < 0 || budget > 100)
      return usage(`--min-budget "${values["min-budget"]}" is not a percentage between 0 and 100`);
    url.searchParams.set("minBudget", String(budget));
  }
  if (values["no-fast-burn"]) url.searchParams.set("noFastBurn", "true");
  if (values["require-soak"]) url.searchParams.set("requireSoak", "true");
  if (values["require-statement"] && !values.digest)
    return usage("--require-statement needs --digest: the artefact being deployed");
  if (values.digest !== undefined) url.searchParams.set("digest", values.digest);
  if (values["require-statement"]) url.searchParams.set("requireStatement", "true");
  const timeoutS = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0)
    return usage(`--timeout "${values.timeout}" is not a number of seconds`);

  let response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      signal: AbortSignal.timeout(timeoutS * 1000),
    });
  } catch (error) {
    out.error(`preflight: could not reach ${url.origin}: ${error.cause?.message ?? error.message}`);
    return 2;
  }
  let body;
  try {
    body = await response.json();
  } catch {
    out.error(`preflight: ${url.origin} answered ${response.status} without JSON: is this a Preflight dashboard?`);
    return 2;
  }
  if (!response.ok) {
    out.error(
      `preflight: ${url.origin} refused the readiness request (${response.status}): ${body?.error ?? "no reason given"}`,
    );
    return 2;
  }
  const verdict = judge(body, min, values["score-only"] === true);
  const system = body?.system?.name ?? "the system";
  const score = typeof body.overallPct === "number" ? pct(body.overallPct) : "no score";
  const snapshot = body?.snapshot?.hash ? ` (snapshot ${body.snapshot.hash.slice(0, 12)})` : "";
  if (verdict.passed) {
    const approval = values["score-only"] ? "" : body?.goLive ? ", approved for go-live" : "";
    out.log(
      `gate open: ${system} scores ${score}, at least ${verdict.minimum} %, and no critical check is unpassed${approval}${snapshot}`,
    );
    return 0;
  }
  out.log(`gate closed: ${system} scores ${score}${snapshot}`);
  for (const reason of verdict.reasons) out.log(`  - ${reason}`);
  return 1;
}

export async function main(argv) {
  const [command, ...rest] = argv;
  if (command === "gate") return gate(rest);
  if (command === "verify") return verify(rest);
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  return usage(command ? `unknown command "${command}"` : "a command is required");
}
