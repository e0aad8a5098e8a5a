import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { answerHelp } from "./cli-help";
import { ConfigError, formatConfigWarnings, loadConfigFile, type LoadedConfig } from "../lib/config/load";
import { ZEnv } from "../lib/env";
import { formatNumber } from "../lib/format";

// `npm run config:check [FILE]`: the loader `npm start` runs, and nothing else: no build, no database, no server.
// The messages are the server's own (a ConfigError names file:line:column), and values from the environment are
// redacted from them by the loader, so the output is safe to paste into an issue.

const usage = `usage: npm run config:check [FILE]
       npm run config:check -- [--strict] [FILE]
Validates a Preflight configuration without building or starting anything: the same checks, with the same
messages, as npm start. FILE defaults to PREFLIGHT_CONFIG, else ./preflight.config.yaml.
  --strict   also fail when the file uses a deprecated form (each is printed as a warning)
exit status: 0 valid, 1 invalid (or deprecated forms with --strict), 2 usage error`;

answerHelp(usage);

function usageError(message: string): never {
  console.error(`config:check: ${message}\n${usage}`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: { strict: { type: "boolean" } } });
  } catch (error) {
    usageError((error as Error).message);
  }
})();
if (positionals.length > 1)
  usageError(`expected one file at most, got ${positionals.length}: ${positionals.join(" ")}`);

/** A file named here is relative to where the command was typed (npm runs scripts from the package root). */
function chooseFile(argument: string | undefined): string {
  if (argument !== undefined) return resolve(process.env.INIT_CWD ?? process.cwd(), argument);
  // The server's own reading of PREFLIGHT_CONFIG, without judging variables this command does not use.
  const fromEnv = ZEnv.shape.PREFLIGHT_CONFIG.safeParse(process.env.PREFLIGHT_CONFIG);
  if (!fromEnv.success) usageError(`PREFLIGHT_CONFIG: ${fromEnv.error.issues[0]?.message ?? "invalid"}`);
  return resolve(fromEnv.data);
}

/** "8 components", "1 criterion": nouns whose plural is not an added s. */
const count = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

function summarise({ config, file, warnings }: LoadedConfig): string {
  const categories = config.scorecard?.categories ?? [];
  const checks = categories.reduce((sum, c) => sum + c.checks.length, 0);
  const parts = [
    count(config.components.length, "component", "components"),
    `${count(checks, "check", "checks")} in ${count(categories.length, "category", "categories")}`,
    count(config.scorecard?.criteria.length ?? 0, "criterion", "criteria"),
    count(config.signoff?.roles.length ?? 0, "sign-off role", "sign-off roles"),
    count(config.slos.length, "SLO", "SLOs"),
  ];
  const warned = warnings.length > 0 ? `, with ${count(warnings.length, "warning", "warnings")}` : "";
  return `${file}: valid${warned}: ${parts.join(", ")}`;
}

const file = chooseFile(positionals[0]);
try {
  const loaded = loadConfigFile(file);
  console.log(summarise(loaded));
  if (loaded.warnings.length > 0) console.error(formatConfigWarnings(loaded.file, loaded.warnings));
  process.exitCode = values.strict && loaded.warnings.length > 0 ? 1 : 0;
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // As the launcher prints it (scripts/boot.ts), then what else it would have said about the file.
  console.error(`preflight: ${error.message}`);
  if (error.warnings.length > 0) console.error(formatConfigWarnings(error.file, error.warnings));
  process.exitCode = 1;
}
