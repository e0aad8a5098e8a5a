import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatCaseName, parseJUnit, type TJUnitRun } from "./junit";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

function parseRun(xml: string): TJUnitRun {
  const result = parseJUnit(xml);
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.run;
}

const counts = (run: TJUnitRun) => ({
  tests: run.tests,
  passed: run.passed,
  failed: run.failed,
  errors: run.errors,
  skipped: run.skipped,
  flaky: run.flaky,
});

describe("parseJUnit on real producers' reports", () => {
  it("reads node's test runner (--test-reporter=junit), whose top-level tests sit directly under <testsuites>", () => {
    const run = parseRun(fixture("junit-node-test-runner.xml"));
    expect(counts(run)).toEqual({ tests: 7, passed: 3, failed: 2, errors: 0, skipped: 2, flaky: 0 });
    expect(run.passRatePct).toBe(60);
    // No time on <testsuites>: the suite's time plus the two top-level tests'.
    expect(run.durationS).toBeCloseTo(0.004802 + 0.012873 + 0.000205, 9);
    expect(run.cases.map((c) => [c.suite, c.name, c.status])).toEqual([
      ["parseStatus", "maps ok to up", "passed"],
      ["parseStatus", "maps degraded to degraded", "passed"],
      ["parseStatus", "maps anything else to down", "failed"],
      ["parseStatus", "handles a missing body", "skipped"],
      ["parseStatus", "reports latency", "skipped"],
      [null, "health endpoint answers within the budget", "passed"],
      [null, "throws on a non-object body", "failed"],
    ]);
    expect(run.cases[4]).toMatchObject({ message: "waiting on probe timings", type: "todo" });
    expect(run.failures).toEqual([
      { name: "test > maps anything else to down", message: "Expected values to be strictly equal:'down' !== 'up'" },
      { name: "test > throws on a non-object body", message: "Cannot read properties of null (reading 'status')" },
    ]);
  });

  it("reads vitest's junit reporter, decoding names and messages", () => {
    const run = parseRun(fixture("junit-vitest.xml"));
    expect(counts(run)).toEqual({ tests: 6, passed: 2, failed: 2, errors: 0, skipped: 2, flaky: 0 });
    expect(run.passRatePct).toBe(50);
    expect(run.durationS).toBe(0.011365086);
    expect(run.cases[5]).toEqual({
      name: "classify > edge cases & <markup> > survives a null body",
      classname: "lib/evidence/zz-vitest-sample.test.ts",
      suite: "lib/evidence/zz-vitest-sample.test.ts",
      timeS: 0.000870771,
      status: "failed",
      file: null,
      line: null,
      message: "Cannot read properties of null (reading 'status')",
      type: "TypeError",
    });
    expect(run.failures[0]).toEqual({
      name: "lib/evidence/zz-vitest-sample.test.ts > classify > maps starting to up",
      message: "expected 'down' to be 'up' // Object.is equality",
    });
  });

  it("reads pytest's default xunit2: no file or line, setup errors as <error>, skip and xfail as <skipped>", () => {
    const run = parseRun(fixture("junit-pytest-xunit2.xml"));
    expect(counts(run)).toEqual({ tests: 9, passed: 5, failed: 1, errors: 1, skipped: 2, flaky: 0 });
    expect(run.passRatePct).toBeCloseTo((5 / 7) * 100, 10);
    expect(run.durationS).toBe(1.284);
    const byName = new Map(run.cases.map((c) => [c.name, c]));
    expect(byName.get("test_health_reports_db_down")).toEqual({
      name: "test_health_reports_db_down",
      classname: "tests.test_health",
      suite: "pytest",
      timeS: 0.007,
      status: "failed",
      file: null,
      line: null,
      message: "AssertionError: assert 'degraded' == 'down'\n  \n  - down\n  + degraded",
      type: null,
    });
    expect(byName.get("test_ready_when_cache_cold")).toMatchObject({
      classname: "tests.test_health.TestReadiness",
      status: "error",
      message:
        'failed on setup with "redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused."',
    });
    expect(byName.get("test_cache_roundtrip")).toMatchObject({
      status: "skipped",
      type: "pytest.skip",
      message: "redis not reachable on localhost:6379",
    });
    expect(byName.get("test_eviction_under_pressure")).toMatchObject({
      status: "skipped",
      type: "pytest.xfail",
      message: "eviction policy is allkeys-lru in prod only",
    });
    expect(byName.get("test_latency_histogram[p95-0.2]")).toMatchObject({ status: "passed", timeS: 0.002 });
  });

  it("reads pytest's xunit1, which adds file and line (0-based, as pytest reports them) and per-test properties", () => {
    const run = parseRun(fixture("junit-pytest-xunit1.xml"));
    expect(counts(run)).toEqual({ tests: 9, passed: 5, failed: 1, errors: 1, skipped: 2, flaky: 0 });
    expect(run.cases[1]).toMatchObject({ name: "test_health_reports_db_down", file: "tests/test_health.py", line: 24 });
    expect(run.cases[2]).toMatchObject({
      name: "test_ready_after_migrations",
      status: "passed",
      file: "tests/test_health.py",
      line: 40,
    });
    expect(run.cases[4]).toMatchObject({
      name: "test_cache_roundtrip",
      file: "tests/test_cache.py",
      line: 15,
      status: "skipped",
    });
  });

  it("reads a Surefire report with reruns: flaky tests count as passes and are listed; failing every rerun is a failure", () => {
    const run = parseRun(fixture("junit-surefire-flaky.xml"));
    expect(counts(run)).toEqual({ tests: 7, passed: 2, failed: 1, errors: 1, skipped: 1, flaky: 2 });
    expect(run.passRatePct).toBeCloseTo((4 / 6) * 100, 10);
    expect(run.durationS).toBe(9.412);
    expect(run.flakyTests).toEqual([
      "com.x0tta6bl4.gateway.PaymentClientTest > retriesOnGatewayTimeout()",
      "com.x0tta6bl4.gateway.PaymentClientTest > reconnectsAfterReset()",
    ]);
    expect(run.cases[1]).toMatchObject({
      status: "flaky",
      message: "expected: <200> but was: <503>",
      type: "org.opentest4j.AssertionFailedError",
    });
    expect(run.cases[2]).toMatchObject({
      status: "flaky",
      message: "Connection reset",
      type: "java.net.SocketException",
    });
    expect(run.failures).toEqual([
      {
        name: "com.x0tta6bl4.gateway.PaymentClientTest > refundsPartially()",
        message: "refund total ==> expected: <40.00> but was: <50.00>",
      },
      {
        name: "com.x0tta6bl4.gateway.PaymentClientTest > settlesInBatch()",
        message: "settlement did not finish within 5 seconds",
      },
    ]);
    expect(run.cases[4]).toMatchObject({ status: "error", type: "java.util.concurrent.TimeoutException" });
    expect(run.cases[6]).toMatchObject({
      status: "skipped",
      message: "PAY-231: FX rates stub not wired yet",
      timeS: 0,
    });
  });
});

describe("parseJUnit counting", () => {
  it("counts <testcase> elements, never the suite's totals", () => {
    const run = parseRun(`<testsuite name="s" tests="100" failures="0" errors="0" skipped="0">
      <testcase name="a"/><testcase name="b"><failure message="boom"/></testcase></testsuite>`);
    expect(counts(run)).toEqual({ tests: 2, passed: 1, failed: 1, errors: 0, skipped: 0, flaky: 0 });
  });

  it("walks nested suites in document order and names each case after its nearest suite", () => {
    const run = parseRun(`<testsuites>
      <testsuite name="outer"><testcase name="a"/>
        <testsuite name="inner"><testcase name="b"/><testsuite name="deepest"><testcase name="c"/></testsuite></testsuite>
        <testcase name="d"/>
      </testsuite></testsuites>`);
    expect(run.cases.map((c) => [c.suite, c.name])).toEqual([
      ["outer", "a"],
      ["inner", "b"],
      ["deepest", "c"],
      ["outer", "d"],
    ]);
  });

  it("an empty report is a run of nothing, with no pass rate", () => {
    for (const xml of [
      "<testsuites/>",
      '<?xml version="1.0"?>\n<testsuites name="none"></testsuites>\n',
      '<testsuite name="empty" tests="0"/>',
    ]) {
      const run = parseRun(xml);
      expect(run).toMatchObject({ tests: 0, passRatePct: null, cases: [], failures: [], flakyTests: [] });
    }
    expect(parseRun('<testsuite name="empty" tests="0" time="0.0"/>').durationS).toBe(0);
    expect(parseRun("<testsuites/>").durationS).toBeNull();
  });

  it("has no pass rate when everything was skipped", () => {
    const run = parseRun(
      '<testsuite><testcase name="a"><skipped/></testcase><testcase name="b"><skipped message="later"/></testcase></testsuite>',
    );
    expect(run).toMatchObject({ tests: 2, skipped: 2, passRatePct: null });
  });

  it("takes <failure> over <error>, and rerun elements alone as a failure", () => {
    const run = parseRun(`<testsuite>
      <testcase name="both"><error message="teardown"/><failure message="assertion"/></testcase>
      <testcase name="rerun"><rerunFailure message="again"/></testcase>
      <testcase name="rerun-error"><rerunError message="again and again"/></testcase>
      <testcase name="skipped-flaky"><skipped/><flakyFailure message="x"/></testcase>
    </testsuite>`);
    expect(run.cases.map((c) => [c.name, c.status, c.message])).toEqual([
      ["both", "failed", "assertion"],
      ["rerun", "failed", "again"],
      ["rerun-error", "failed", "again and again"],
      ["skipped-flaky", "skipped", null],
    ]);
  });

  it("adds case times when no suite carries one, and keeps null when nothing does", () => {
    expect(
      parseRun('<testsuites><testcase name="a" time="0.5"/><testcase name="b" time="0.25"/></testsuites>').durationS,
    ).toBe(0.75);
    expect(parseRun('<testsuites><testcase name="a"/></testsuites>').durationS).toBeNull();
    expect(
      parseRun('<testsuites time="12.5"><testsuite time="3"><testcase name="a" time="1"/></testsuite></testsuites>')
        .durationS,
    ).toBe(12.5);
  });

  it.each([
    ["0.25", 0.25],
    ["3", 3],
    ["1e-3", 0.001],
    [" 2.5 ", 2.5],
    ["1,234.567", 1234.567],
    ["", null],
  ])("reads time=%j as %s", (time, seconds) => {
    expect(parseRun(`<testsuite><testcase name="a" time="${time}"/></testsuite>`).cases[0]?.timeS).toBe(seconds);
  });

  // A duration that is not one is refused naming the element, never stored as "no time" (the input policy).
  it.each(["abc", "-1", "-0.5", "NaN", "Infinity", "1e999", "1.2.3"])(
    "refuses time=%j naming the test case",
    (time) => {
      expect(parseJUnit(`<testsuite name="s"><testcase name="a" time="${time}"/></testsuite>`)).toEqual({
        ok: false,
        malformed: false,
        error: `testsuite "s" > testcase "a": time ${JSON.stringify(time)} is not a duration: expected seconds, a number of at least 0`,
      });
    },
  );

  it("refuses a suite time that is not a duration, and a line that is not a line number", () => {
    expect(
      parseJUnit('<testsuites><testsuite name="s" time="-3"><testcase name="a"/></testsuite></testsuites>'),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^testsuites > testsuite "s": time "-3" is not a duration/),
    });
    expect(parseJUnit('<testsuite><testcase name="a" line="x"/></testsuite>')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^testsuite > testcase "a": line "x" is not a line number/),
    });
  });

  it("has null time, file and line when the attributes are missing", () => {
    const [c] = parseRun('<testsuite><testcase name="a"/></testsuite>').cases;
    expect(c).toMatchObject({ timeS: null, file: null, line: null, classname: "" });
  });

  it("takes the message attribute, else the first non-empty line of the body or of Surefire's <stackTrace>", () => {
    const run = parseRun(`<testsuite>
      <testcase name="attr"><failure message="short" type="E">long body</failure></testcase>
      <testcase name="body"><failure>

        first line
        second line</failure></testcase>
      <testcase name="trace"><rerunFailure><stackTrace>java.lang.AssertionError: nope
	at Foo.bar(Foo.java:1)</stackTrace></rerunFailure></testcase>
      <testcase name="empty-message"><failure message="  ">from body</failure></testcase>
      <testcase name="nothing"><failure/></testcase>
    </testsuite>`);
    expect(run.cases.map((c) => c.message)).toEqual([
      "short",
      "first line",
      "java.lang.AssertionError: nope",
      "from body",
      null,
    ]);
    expect(run.cases[0]?.type).toBe("E");
  });

  it("keeps the first 500 characters of a message, never half a surrogate pair", () => {
    const long = "x".repeat(600);
    expect(
      parseRun(`<testsuite><testcase name="a"><failure message="${long}"/></testcase></testsuite>`).cases[0]?.message,
    ).toBe("x".repeat(500));
    const emoji = `${"y".repeat(499)}😀tail`;
    expect(
      parseRun(`<testsuite><testcase name="a"><failure message="${emoji}"/></testcase></testsuite>`).cases[0]?.message,
    ).toBe("y".repeat(499));
  });

  it("decodes the predefined entities and character references once, and leaves CDATA as written", () => {
    const run =
      parseRun(`<testsuite><testcase name="a &amp;lt; b &#x1F600; &#65; &nbsp; &#x110000;" classname="c&quot;q&apos;">
      <failure>before <![CDATA[raw &amp; <tags>]]> after</failure></testcase></testsuite>`);
    expect(run.cases[0]?.name).toBe("a &lt; b 😀 A &nbsp; &#x110000;");
    expect(run.cases[0]?.classname).toBe(`c"q'`);
    expect(run.cases[0]?.message).toBe("before raw &amp; <tags> after");
  });

  it("refuses NUL given as a character reference, naming the attribute", () => {
    expect(parseJUnit('<testsuite><testcase name="a&#0;b"/></testsuite>')).toMatchObject({
      ok: false,
      malformed: false,
      error: expect.stringContaining('testcase "a\\u0000b": attribute name: control character U+0000 (NUL)'),
    });
  });

  it("accepts a byte-order mark, a declaration, comments and processing instructions around the root", () => {
    const run = parseRun(
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- generated -->\n<?xml-stylesheet href="junit.xsl"?>\n<testsuite><testcase name="a"/></testsuite>\n<!-- end -->\n',
    );
    expect(run.tests).toBe(1);
  });

  it("names a case 'classname > name', or the name alone without a classname", () => {
    expect(formatCaseName({ classname: "tests.test_api", name: "test_ok" })).toBe("tests.test_api > test_ok");
    expect(formatCaseName({ classname: "", name: "test_ok" })).toBe("test_ok");
  });
});
