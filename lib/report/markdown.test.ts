import { describe, expect, it } from "vitest";
import { countUnverified, dailyTrend, deriveStatements, overallRiskLevel, probeTarget, unverified } from "./derive";
import { toDocument } from "./document";
import { reportFixture } from "./fixture";
import { renderHtml } from "./html";
import { escapeCell, escapeInline, renderMarkdown } from "./markdown";

const SECTIONS = [
  "Executive summary",
  "1. Validation results",
  "2. Test framework",
  "3. Load & chaos",
  "4. Scorecard",
  "5. Approval criteria",
  "6. Deployment strategy",
  "7. Critical path",
  "8. Blockers & mitigations",
  "9. Risk assessment",
  "10. Recommendations & checklists",
  "11. Approval sign-off",
  "Conclusion",
  "Appendix: quick reference",
];

/** The table that follows a caption, as rows of raw cells (split on unescaped pipes). */
function tableAfter(md: string, caption: string): string[][] {
  const lines = md.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`*${caption}`));
  expect(start, `caption "${caption}"`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.slice(2, -2).split(/(?<!\\) \| /));
  }
  return rows;
}

describe("renderMarkdown", () => {
  const report = reportFixture();
  const md = renderMarkdown(report);

  it("has the reference's sections in the reference's order", () => {
    const headings = md
      .split("\n")
      .filter((l) => l.startsWith("## "))
      .map((l) => l.slice(3));
    expect(headings).toEqual(SECTIONS);
    const subsections = md
      .split("\n")
      .filter((l) => l.startsWith("### "))
      .map((l) => l.slice(4));
    const order = [
      "1.1 Component health",
      "1.2 Performance baselines",
      "1.3 Security & compliance",
      "1.4 Infrastructure",
      "3.1 Load tests (k6)",
      "3.2 Chaos experiments",
      "Readiness trend",
    ];
    expect(order.map((h) => subsections.indexOf(h))).toEqual(
      [...order.map((h) => subsections.indexOf(h))].sort((a, b) => a - b),
    );
    expect(order.every((h) => subsections.includes(h))).toBe(true);
  });

  it("names the system and the date in the title, and states the score with its window and source", () => {
    expect(md.split("\n")[0]).toBe("# x0tta6bl4: production readiness report, 2026-01-14");
    expect(md).toContain(
      "- **Overall production readiness:** 87.5 % (evaluated 2026-01-14 10:00 UTC · scorecard: 4 checks in 3 categories)",
    );
    expect(md).toContain("✕ closed");
  });

  it("marks a figure without evidence unverified, with the reason, and never fills it in", () => {
    const health = tableAfter(md, "Component health");
    const database = health.find((r) => r[0] === "Database");
    expect(database?.[3]).toBe("**unverified** (never checked)");
    expect(database?.[4]).toBe("**unverified** (nothing known)");
    const api = health.find((r) => r[0] === "API");
    expect(api?.[3]).toBe("up for 21h 4m");
    expect(api?.[6]).toBe("**unverified** (nothing known in this window)");
    const baselines = tableAfter(md, "Performance baselines");
    expect(baselines.find((r) => r[1] === "Throughput")?.[2]).toBe(
      "**unverified** (Prometheus unreachable (ECONNREFUSED))",
    );
    expect(md).toContain("- **Continuous uptime:** **unverified** (Database is unknown) (probe history)");
    // An unattested security check: unverified in 1.3, its verdict pending, not passed.
    const security = tableAfter(md, "Security and compliance checks");
    expect(security.find((r) => r[0] === "PQC key exchange")?.slice(1, 4)).toEqual([
      "⚠ pending",
      "**unverified** (not attested yet)",
      "—",
    ]);
  });

  it("shows who attested, when, on which evidence and until when", () => {
    const security = tableAfter(md, "Security and compliance checks");
    expect(security.find((r) => r[0] === "mTLS enforced (critical)")).toEqual([
      "mTLS enforced (critical)",
      "✓ passed",
      "✓ yes",
      "alice",
      "14 Jan 2026, 09:00:00 UTC",
      "<https://wiki.example/mtls>",
      "13 Feb 2026",
    ]);
  });

  it("escapes pipes and newlines so data cannot add a cell or a row", () => {
    const flaky = tableAfter(md, "Tests that passed only on a retry");
    expect(flaky[2]).toEqual(["unit", "test_users_api.py::test_list\\|pipe newline", "⚠ 2 of the last 3 runs"]);
    const signOff = tableAfter(md, "Sign-off of Phase 4 go-live");
    expect(signOff[0]).toHaveLength(8);
    for (const row of signOff) expect(row).toHaveLength(8);
    expect(signOff.find((r) => r[0] === "Technical Lead")?.[6]).toBe("LGTM \\| ship it");
    // Every table row has as many cells as its header.
    for (const caption of [
      "Component health",
      "Every scorecard check",
      "Risk register",
      "Risk matrix",
      "Test suites",
    ]) {
      const rows = tableAfter(md, caption);
      for (const row of rows) expect(row, caption).toHaveLength(rows[0]?.length ?? 0);
    }
  });

  it("keeps Markdown syntax and HTML in data inert", () => {
    expect(escapeInline("<script>alert(1)</script> [x](javascript:y) *b* `c`")).toBe(
      "&lt;script>alert(1)&lt;/script> \\[x\\](javascript:y) \\*b\\* \\`c\\`",
    );
    expect(escapeInline("P95 < 500 ms & p99 &lt; 1 s")).toBe("P95 < 500 ms & p99 &amp;lt; 1 s");
    expect(escapeInline("snake_case _emph_ __init__")).toBe("snake_case \\_emph\\_ \\_\\_init\\_\\_");
    expect(escapeCell("  a | b\r\nc  ")).toBe("a \\| b c");
    expect(escapeCell("")).toBe(" ");
    const hostile = reportFixture();
    hostile.plan.limitations[0] = {
      ...hostile.plan.limitations[0]!,
      title: "# heading\n| --- |\n<img src=x onerror=alert(1)>",
    };
    hostile.conclusion = ["- not a list", "## not a heading"];
    const out = renderMarkdown(hostile);
    expect(out).not.toContain("<img");
    expect(out).toContain("\\- not a list");
    expect(out).toContain("\\## not a heading");
    expect(out.split("\n").filter((l) => l.startsWith("## "))).toHaveLength(SECTIONS.length);
  });

  it("puts the risks on the matrix and rates the deployment risk from the open ones", () => {
    const matrix = tableAfter(md, "Risk matrix");
    expect(matrix[0]).toEqual([
      "Probability ↓ · impact →",
      "1 negligible",
      "2 minor",
      "3 moderate",
      "4 major",
      "5 severe",
    ]);
    expect(matrix.find((r) => r[0] === "3 possible")?.[4]).toBe("⚠ R1");
    expect(matrix.find((r) => r[0] === "1 rare")?.[3]).toBe("✓ R2");
    expect(md).toContain("⚠ Deployment risk: MEDIUM");
  });

  it("lists the critical path with overdue tasks marked, checklists as task lists, and the daily trend", () => {
    const path = tableAfter(md, "Critical path to go-live");
    expect(path.find((r) => r[0] === "Load test execution")?.[5]).toBe("✕ OVERDUE");
    expect(path.find((r) => r[0] === "Health checks completed")?.[5]).toBe(" ");
    expect(md).toContain("- [x] All tests passed (>90 % pass rate)");
    expect(md).toContain("- [ ] Security scan completed");
    const trend = tableAfter(md, "Readiness over the last 30 days");
    expect(trend.slice(2).map((r) => [r[0], r[1]])).toEqual([
      ["2026-01-12", "70.0 %"],
      ["2026-01-14", "87.5 %"],
    ]);
  });

  it("prints the probe targets masked and never a password from the configuration", () => {
    const secrets = new Set(["s3cr3t-token-value"]);
    const report = reportFixture();
    report.appendix.endpoints = [
      {
        component: "database",
        name: "Database",
        probeType: "postgres",
        target: probeTarget({ type: "postgres", url: "postgresql://app:hunter2-pw@db:5432/app" }, secrets),
      },
      {
        component: "api",
        name: "API",
        probeType: "http",
        target: probeTarget(
          {
            type: "http",
            url: "https://api.example/health?token=s3cr3t-token-value",
            headers: { authorization: "Bearer abc" },
          },
          secrets,
        ),
      },
      {
        component: "edge",
        name: "Edge",
        probeType: "tcp",
        target: probeTarget({ type: "tcp", host: "edge.internal", port: 443 }, secrets),
      },
    ];
    const out = renderMarkdown(report);
    expect(out).not.toContain("hunter2-pw");
    expect(out).not.toContain("s3cr3t-token-value");
    const endpoints = tableAfter(out, "What each component is probed at");
    expect(endpoints.slice(2)).toEqual([
      ["Database", "postgres", "postgresql://app:\\*\\*\\*\\*@db:5432/app"],
      ["API", "http", "https://api.example/health?token=\\*\\*\\*\\*"],
      ["Edge", "tcp", "edge.internal:443"],
    ]);
  });

  it("renders the same sections to HTML, escaped", () => {
    const hostile = reportFixture();
    hostile.system.name = "<b>sys</b>";
    const html = renderHtml(hostile);
    expect(html).not.toContain("<b>sys</b>");
    expect(html).toContain("&lt;b&gt;sys&lt;/b&gt;");
    expect([...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]?.replace("&amp;", "&"))).toEqual(SECTIONS);
    expect(html).toContain('<span class="unverified">unverified</span> <span class="why">never checked</span>');
    expect(html).toContain('<svg class="trend"');
    expect(html).not.toContain("<script");
  });
});

describe("derived figures", () => {
  it("keeps the last snapshot of each UTC day in the window", () => {
    const now = new Date("2026-01-14T12:00:00Z");
    const days = dailyTrend(
      [
        { takenAt: "2025-12-01T00:00:00.000Z", overallPct: 10, blockers: 9 },
        { takenAt: "2026-01-13T01:00:00.000Z", overallPct: 50, blockers: 2 },
        { takenAt: "2026-01-13T23:59:00.000Z", overallPct: 60, blockers: 1 },
        { takenAt: "2026-01-14T08:00:00.000Z", overallPct: null, blockers: 4 },
      ],
      now,
      30,
    );
    expect(days).toEqual([
      { day: "2026-01-13", takenAt: "2026-01-13T23:59:00.000Z", overallPct: 60, blockers: 1, snapshots: 2 },
      { day: "2026-01-14", takenAt: "2026-01-14T08:00:00.000Z", overallPct: null, blockers: 4, snapshots: 1 },
    ]);
  });

  it("rates the risk from open risks only", () => {
    expect(overallRiskLevel([])).toBeNull();
    expect(
      overallRiskLevel([
        { level: "high", status: "mitigated" },
        { level: "low", status: "open" },
      ]),
    ).toBe("low");
    expect(
      overallRiskLevel([
        { level: "medium", status: "accepted" },
        { level: "low", status: "open" },
      ]),
    ).toBe("medium");
  });

  it("counts every unverified figure and states it", () => {
    const report = reportFixture();
    expect(countUnverified(report)).toBe(19);
    expect(countUnverified({ a: [unverified("x"), { b: unverified("y") }] })).toBe(2);
    report.summary.unverifiedCount = countUnverified(report);
    const statements = deriveStatements(report);
    expect(statements).toContain("19 figures in this report are unverified: nothing measured or attested them.");
    expect(statements).toContain("1 of 2 services are operational at their last checks (1 without a current state).");
    expect(statements).toContain('1 critical check or criterion block go-live: "Load tests".');
  });

  it("lays out the same document for every format", () => {
    const doc = toDocument(reportFixture());
    expect(doc.sections.map((s) => s.title)).toEqual(SECTIONS);
  });
});
