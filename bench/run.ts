import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { answerHelp } from "../scripts/cli-help";

// `npm run bench`: each benchmark in its own process (its own memory), in sequence, streaming its output;
// at the end every `bench <name>: ...` summary line again, together. Exits non-zero if a benchmark crashed.

answerHelp(`usage: npm run bench
Runs each benchmark (bench/*.ts) in its own process, in sequence, then prints every "bench <name>: ..." summary
line again together; exit 1 when a benchmark crashed or printed no summary.`);

type Entry = { script: string; optional?: boolean };

const BENCHMARKS: Entry[] = [
  { script: "bench/history.ts" },
  { script: "bench/percentiles.ts" },
  { script: "bench/read-path.ts" },
  // ---- bench/poller.ts: the lead engineer's poller benchmark, in progress. It runs once the file exists
  // ---- and is skipped (with a note) until then.
  { script: "bench/poller.ts", optional: true },
];

const ROOT = join(import.meta.dirname, "..");
const SUMMARY = /^bench [\w-]+: /;

function runOne(script: string): Promise<{ code: number; summaries: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const summaries: string[] = [];
    createInterface({ input: child.stdout }).on("line", (line) => {
      process.stdout.write(`${line}\n`);
      if (SUMMARY.test(line)) summaries.push(line);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), summaries }));
  });
}

const summaries: string[] = [];
const failures: string[] = [];
for (const { script, optional } of BENCHMARKS) {
  if (!existsSync(join(ROOT, script))) {
    if (!optional) throw new Error(`benchmark ${script} is missing`);
    process.stdout.write(`== ${script}: not present, skipped\n`);
    continue;
  }
  process.stdout.write(`== ${script}\n`);
  const result = await runOne(script);
  summaries.push(...result.summaries);
  if (result.code !== 0) failures.push(`${script} exited with code ${result.code}`);
  else if (result.summaries.length === 0) failures.push(`${script} printed no summary line`);
}

// Failures first, so the summary lines are the very last lines printed.
process.stdout.write(`\n== summary\n${[...failures.map((f) => `FAILED: ${f}`), ...summaries].join("\n")}\n`);
process.exitCode = failures.length > 0 ? 1 : 0;
