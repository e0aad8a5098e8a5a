// Forms the configuration used to accept, rewritten to the current ones before validation, each with a warning
// that names where it is and what to write instead. The schema knows only the current forms, so every reader of
// the configuration sees one shape.
//
//   scorecard check   condition: "< 0.01"                          ->  condition: "[VALUE] < 0.01"
//   baseline source   prometheus: { url: URL, queries: { … } }     ->  prometheus: URL, queries: { … }

export type TPath = (string | number)[];

/** `atKey`: point at the key that holds the old form (a whole map), rather than at its value. */
export type TDeprecation = { path: TPath; message: string; atKey?: boolean };

export type TUpgraded = {
  warnings: TDeprecation[];
  /** Where a value now at `path` was written in the file, so errors point at what the user wrote. */
  originalPath: (path: readonly PropertyKey[]) => TPath;
};

const STOP = "(the old form will stop being accepted)";

/** The only condition a PromQL check took before it shared the probe grammar: an operator and a plain number. */
const OLD_CONDITION = /^(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)$/;

type TRecord = Record<string, unknown>;

function isRecord(value: unknown): value is TRecord {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function listAt(value: unknown, key: string): unknown[] {
  const list = isRecord(value) ? value[key] : undefined;
  return Array.isArray(list) ? list : [];
}

/**
 * Rewrites the deprecated forms in `config` in place. It is the loader's own copy (interpolation built it), and only
 * shapes that match exactly are touched: anything else is left for the schema to report.
 */
export function upgradeDeprecatedForms(config: unknown): TUpgraded {
  const warnings: TDeprecation[] = [];
  const moves: { to: TPath; from: TPath }[] = [];

  const upgradeCheck = (check: unknown, path: TPath) => {
    if (!isRecord(check) || check.kind !== "promql" || typeof check.condition !== "string") return;
    const match = OLD_CONDITION.exec(check.condition);
    if (!match) return;
    const current = `[VALUE] ${match[1]} ${match[2]}`;
    const message = `${JSON.stringify(check.condition)} is the old form: write ${JSON.stringify(current)} ${STOP}`;
    warnings.push({ path: [...path, "condition"], message });
    check.condition = current;
  };
  const scorecard = isRecord(config) ? config.scorecard : undefined;
  listAt(scorecard, "categories").forEach((category, c) =>
    listAt(category, "checks").forEach((check, i) => upgradeCheck(check, ["scorecard", "categories", c, "checks", i])),
  );
  listAt(scorecard, "criteria").forEach((check, i) => upgradeCheck(check, ["scorecard", "criteria", i]));

  listAt(config, "baselines").forEach((baseline, b) => {
    const source = isRecord(baseline) ? baseline.source : undefined;
    // A mixed or odd shape (queries on both levels, a nested prometheus) is not guessed at: the schema names it.
    if (!isRecord(source) || !isRecord(source.prometheus) || "queries" in source || "prometheus" in source.prometheus)
      return;
    const base: TPath = ["baselines", b, "source"];
    const nested = source.prometheus;
    warnings.push({
      path: [...base, "prometheus"],
      message:
        "prometheus: { url, queries } is the old form: write prometheus: <URL> and queries: { … } side by side in " +
        `source, as on a promql check and in resources ${STOP}`,
      atKey: true,
    });
    // url becomes prometheus, and queries (with anything else written there, for the schema to judge) moves up.
    source.prometheus = nested.url;
    moves.push({ to: [...base, "prometheus"], from: [...base, "prometheus", "url"] });
    for (const [key, value] of Object.entries(nested)) {
      if (key === "url") continue;
      Object.defineProperty(source, key, { value, enumerable: true, writable: true, configurable: true });
      moves.push({ to: [...base, key], from: [...base, "prometheus", key] });
    }
  });

  const originalPath = (path: readonly PropertyKey[]): TPath => {
    const plain = path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const move = moves.find((m) => m.to.length <= plain.length && m.to.every((part, i) => plain[i] === part));
    return move ? [...move.from, ...plain.slice(move.to.length)] : plain;
  };
  return { warnings, originalPath };
}
