import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

// Every command a person runs answers --help: each package.json script that runs a file of this repository (with
// tsx or node), and each bin. A new script fails here until it answers --help (scripts/cli-help.ts) or is listed
// below with the reason it is not run by people.

const ROOT = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  bin?: Record<string, string>;
};

/** Run by tools, not typed by people: --help would do the work instead (a build, a generate). */
const NOT_USER_FACING: Record<string, string> = {
  postinstall: "npm runs it after install (prisma generate); nobody types it",
  "test:e2e":
    "a test step (build once, then Playwright); its first command is a build step, not a command with options",
};

type Command = { name: string; file: string; args: string[]; runner: "tsx" | "node" };

/** `tsx FILE ARGS…` or `node FILE ARGS…` (up to a `&&`), when FILE is in this repository. */
function commandOf(name: string, line: string): Command | null {
  const first = line.split("&&")[0]?.trim().split(/\s+/) ?? [];
  const [runner, file, ...args] = first;
  if ((runner !== "tsx" && runner !== "node") || file === undefined || !existsSync(join(ROOT, file))) return null;
  return { name, file, args, runner };
}

const scripts = Object.entries(pkg.scripts).flatMap(([name, line]) => {
  const command = commandOf(name, line);
  return command ? [command] : [];
});
const bins: Command[] = Object.entries(pkg.bin ?? {}).flatMap(([name, file]) => [
  { name: `bin ${name}`, file, args: [], runner: "node" as const },
  { name: `bin ${name} gate`, file, args: ["gate"], runner: "node" as const },
]);

/** The file and what it imports from beside it: where a bin's --help may be handled. */
function sourceOf(file: string): string {
  const text = readFileSync(join(ROOT, file), "utf8");
  const siblings = [...text.matchAll(/from "(\.\/[^"]+\.mjs)"/g)].map((m) => join(dirname(file), m[1] ?? ""));
  return [text, ...siblings.map((sibling) => readFileSync(join(ROOT, sibling), "utf8"))].join("\n");
}

/** The first thing a script does that --help must come before: read the environment, the database, the network. */
const SIDE_EFFECTS = ["readEnv(", "openDatabase(", "readConfig(", "loadConfigFile(", "fetch(", "spawn(", "spawnSync("];

/** Why it is not safe to run `file --help` (it might start a worker, say), or null. */
function unsafeToAsk(command: Command): string | null {
  const source = sourceOf(command.file);
  if (command.file.endsWith(".mjs")) return source.includes('"--help"') ? null : "handles no --help";
  const help = source.indexOf("answerHelp(");
  if (help === -1) return "does not call answerHelp (scripts/cli-help.ts)";
  const first = Math.min(...SIDE_EFFECTS.map((s) => source.indexOf(s)).filter((i) => i !== -1));
  return help < first ? null : "calls answerHelp only after it has started doing things";
}

function ask(command: Command): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const argv =
    command.runner === "tsx"
      ? ["--import", "tsx", command.file, ...command.args, "--help"]
      : [command.file, ...command.args, "--help"];
  // Nothing that points at a real database, Redis or dashboard, should a script read it after all.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^(PREFLIGHT_|DATABASE_|REDIS_)/.test(key)) delete env[key];
  return new Promise((done) => {
    execFile(process.execPath, argv, { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const asked = [...scripts, ...bins].filter((c) => !(c.name in NOT_USER_FACING));

describe("every command answers --help", () => {
  it("finds the scripts and bins to ask", () => {
    expect(scripts.map((s) => s.name)).toEqual(
      expect.arrayContaining(["token", "user:create", "demo:ctl", "config:check", "start", "worker"]),
    );
    expect(bins.length).toBeGreaterThan(0);
  });

  it.each(asked.map((c) => [c.name, c] as const))("%s", async (_name, command) => {
    // Checked before running it: a script that ignored --help would go on to do its work.
    expect(
      unsafeToAsk(command),
      `${command.file}: answer --help with answerHelp(usage) before anything else`,
    ).toBeNull();
    const result = await ask(command);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^usage: /m);
  });

  it("lists only scripts that exist, each for a reason", () => {
    const names = new Set(scripts.map((s) => s.name));
    expect(Object.keys({ ...NOT_USER_FACING }).filter((name) => !names.has(name))).toEqual([]);
  });

  it("would refuse to run a script that does not answer --help (the check itself can fail)", () => {
    expect(unsafeToAsk({ name: "freshness", file: "scripts/build-freshness.ts", args: [], runner: "tsx" })).toMatch(
      /does not call answerHelp/,
    );
  });
});
