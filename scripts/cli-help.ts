// Every command a person runs answers --help (or -h) with its usage and exits 0, before it reads the environment,
// the configuration or the database. tests/script-help.test.ts runs each package.json script with --help.

/** Whether the arguments ask for help; `--` ends the options, so a file named "-h" after it is a file. */
export function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  const options = end === -1 ? argv : argv.slice(0, end);
  return options.includes("--help") || options.includes("-h");
}

/** Prints `usage` (which starts with "usage:") and exits 0 when asked for help; otherwise returns. */
export function answerHelp(usage: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (!asksForHelp(argv)) return;
  console.log(usage);
  process.exit(0);
}
