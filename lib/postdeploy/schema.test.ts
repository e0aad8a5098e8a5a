import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { formatPath } from "../config/load";
import { checkPostDeploymentReferences, ZPostDeployment } from "../config/postdeploy-schema";

// The `postDeployment:` section on its own (ZConfig takes it in when it is wired): its defaults are the reference's
// criteria, and every refusal names its field, at the path the loader reports ("postDeployment.window").

const HOUR = 3_600_000;

function settingsOf(yaml: string) {
  const parsed = ZPostDeployment.safeParse(parse(yaml) ?? {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

/** Each problem as `path: message`, the path as the loader writes it. */
function problems(yaml: string): string[] {
  const parsed = ZPostDeployment.safeParse(parse(yaml) ?? {});
  if (parsed.success) throw new Error("expected the section to be refused");
  return parsed.error.issues.map((issue) => {
    const path = formatPath(["postDeployment", ...issue.path]);
    const message = issue.code === "unrecognized_keys" ? `unknown key "${issue.keys.join(", ")}"` : issue.message;
    return `${path}: ${message}`;
  });
}

describe("postDeployment", () => {
  it("defaults to the reference's criteria: 24 h watched, error rate ≤ 1 %, P95 ≤ 200 ms, 90 % covered", () => {
    expect(settingsOf("")).toEqual({ window: 24 * HOUR, maxErrorRatePct: 1, maxP95Ms: 200, minCoveragePct: 90 });
  });

  it("takes a window as a duration, components, and each limit", () => {
    expect(
      settingsOf(`
window: 36h
components: [api, db]
maxErrorRatePct: 0.5
maxP95Ms: 150
minCoveragePct: 99
`),
    ).toEqual({
      window: 36 * HOUR,
      components: ["api", "db"],
      maxErrorRatePct: 0.5,
      maxP95Ms: 150,
      minCoveragePct: 99,
    });
    // The bounds themselves are allowed, and zero tolerance for errors is a limit one may set.
    expect(settingsOf("window: 1h").window).toBe(HOUR);
    expect(settingsOf("window: 30d").window).toBe(30 * 24 * HOUR);
    expect(settingsOf("maxErrorRatePct: 0").maxErrorRatePct).toBe(0);
    expect(settingsOf("minCoveragePct: 100").minCoveragePct).toBe(100);
  });

  it("refuses a window outside 1h..30d, or not in whole minutes, in the units written", () => {
    expect(problems("window: 30m")).toEqual(["postDeployment.window: window must be at least 1h, got 30m"]);
    expect(problems("window: 31d")).toEqual(["postDeployment.window: window must be at most 30d, got 31d"]);
    expect(problems("window: 1h30s")).toEqual([
      "postDeployment.window: window must be a whole number of minutes, got 3630s",
    ]);
    expect(problems("window: soon")).toEqual([
      'postDeployment.window: expected a duration such as "5s" or "500ms", got "soon"',
    ]);
  });

  it("refuses percentages outside 0..100 and a coverage of 0, naming the field", () => {
    expect(problems("maxErrorRatePct: 101")).toEqual([
      "postDeployment.maxErrorRatePct: maxErrorRatePct must be between 0 and 100 (a percentage), got 101",
    ]);
    expect(problems("maxErrorRatePct: -1")).toEqual([
      "postDeployment.maxErrorRatePct: maxErrorRatePct must be between 0 and 100 (a percentage), got -1",
    ]);
    expect(problems('maxErrorRatePct: "1%"')).toEqual([
      "postDeployment.maxErrorRatePct: expected maxErrorRatePct as a percentage such as 1",
    ]);
    expect(problems("minCoveragePct: 0")).toEqual([
      "postDeployment.minCoveragePct: minCoveragePct must be above 0: a window needs probe results to be judged",
    ]);
  });

  it("refuses a P95 limit that is not a positive number of milliseconds", () => {
    expect(problems("maxP95Ms: 0")).toEqual(["postDeployment.maxP95Ms: maxP95Ms must be above 0 ms"]);
    expect(problems("maxP95Ms: 200ms")).toEqual([
      "postDeployment.maxP95Ms: expected maxP95Ms as a number of milliseconds such as 200",
    ]);
    expect(problems("maxP95Ms: 200000")).toEqual([
      "postDeployment.maxP95Ms: maxP95Ms must be at most 120000 ms (the longest probe timeout)",
    ]);
  });

  it("refuses an empty or repeating component list, and unknown keys", () => {
    expect(problems("components: []")).toEqual([
      "postDeployment.components: list at least one component, or leave components out to watch all of them",
    ]);
    expect(problems("components: [api, db, api]")).toEqual([
      'postDeployment.components[2]: component "api" is listed twice (already at components[0])',
    ]);
    expect(problems("components: api")).toEqual([
      "postDeployment.components: expected components as a list of component ids",
    ]);
    expect(problems("maxErrorRate: 1")).toEqual(['postDeployment: unknown key "maxErrorRate"']);
  });
});

describe("checkPostDeploymentReferences", () => {
  it("names each component that is not configured, at its path from the configuration's root", () => {
    const pd = settingsOf("components: [api, cache, db, queue]");
    expect(checkPostDeploymentReferences(pd, ["api", "db"])).toEqual([
      { path: ["postDeployment", "components", 1], message: 'no component with id "cache"' },
      { path: ["postDeployment", "components", 3], message: 'no component with id "queue"' },
    ]);
    expect(checkPostDeploymentReferences(pd, new Set(["api", "cache", "db", "queue"]))).toEqual([]);
  });

  it("has nothing to check when every component is watched, or the section is absent", () => {
    expect(checkPostDeploymentReferences(settingsOf(""), [])).toEqual([]);
    expect(checkPostDeploymentReferences(undefined, ["api"])).toEqual([]);
  });
});
