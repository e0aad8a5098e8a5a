import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Card, CARD } from "@/components/ui/card";
import { errorList, Field, TextInput } from "@/components/ui/field";
import { Table, TABLE_BOX } from "@/components/ui/table";

// The kit's pure parts: a field's errors, and the markup Table and Card render (one <tr> per row at every width,
// with the caller's attributes, so selectors such as tr[data-component] count the same on a phone).

type TRow = { id: string; name: string; status: string };
const rows: TRow[] = [
  { id: "api", name: "API", status: "up" },
  { id: "db", name: "Database", status: "down" },
];

const table = (props: Partial<Parameters<typeof Table<TRow>>[0]> = {}) =>
  renderToStaticMarkup(
    createElement(Table<TRow>, {
      caption: "Components",
      captionHidden: true,
      rows,
      rowKey: (r) => r.id,
      rowProps: (r) => ({ "data-component": r.id, className: r.status === "down" ? "bg-red-50" : "" }),
      columns: [
        { key: "name", header: "Component", primary: true, cell: (r) => r.name },
        { key: "status", header: "Status", cell: (r) => r.status },
        { key: "change", header: "Change", label: "", cell: () => "edit" },
      ],
      ...props,
    }),
  );

describe("errorList", () => {
  it("takes one message, a list or nothing", () => {
    expect(errorList(undefined)).toEqual([]);
    expect(errorList("")).toEqual([]);
    expect(errorList("too long")).toEqual(["too long"]);
    expect(errorList(["a", "b"])).toEqual(["a", "b"]);
  });
});

describe("Table", () => {
  it("renders one <tr> per row with the caller's attributes, and nothing that looks like a second row", () => {
    const html = table();
    expect(html.match(/<tr[^>]*data-component=/g)).toHaveLength(2);
    expect(html).toContain('data-component="api"');
    expect(html).not.toContain("<li");
    expect(html).toMatch(/<tr[^>]*data-component="db"[^>]*class="[^"]*bg-red-50/);
  });

  it("makes the first primary column the row header and labels the others for the phone layout", () => {
    const html = table();
    expect(html).toMatch(/<th scope="row"[^>]*>API<\/th>/);
    expect(html).toContain('data-label="Status:"');
    // An empty label: no "Change:" before the edit control.
    expect(html).not.toContain('data-label="Change:"');
  });

  it("keeps the caption and test id when empty, with the empty text in one cell", () => {
    const html = table({ rows: [], empty: "No components.", "data-testid": "health" });
    expect(html).toContain('data-testid="health"');
    expect(html).toContain('<td colSpan="3"');
    expect(html).toContain("No components.");
    expect(html).toContain('class="sr-only">Components</caption>');
  });

  it("scrolls in a box that is the containing block of its sr-only text", () => {
    expect(TABLE_BOX).toMatch(/\brelative\b/);
    expect(TABLE_BOX).toMatch(/\bmax-w-full\b/);
    expect(TABLE_BOX).toMatch(/\boverflow-x-auto\b/);
    expect(table()).toContain(`<div class="${TABLE_BOX}">`);
  });
});

describe("Card and Field", () => {
  it("names the section by its heading", () => {
    const html = renderToStaticMarkup(
      createElement(Card, { id: "risks", title: "Risks", tone: "danger", "data-testid": "risk-card" }, "body"),
    );
    expect(html).toMatch(/^<section id="risks" aria-labelledby="risks-heading" data-testid="risk-card" class="[^"]*"/);
    expect(html).toContain('<h2 id="risks-heading"');
    expect(html).toContain(CARD.danger);
  });

  it("ties the hint and the errors to the control", () => {
    const props: Parameters<typeof Field>[0] = {
      label: "Name",
      id: "n",
      hint: "Letters only",
      error: ["required"],
      children: createElement(TextInput, { name: "name" }),
    };
    const html = renderToStaticMarkup(createElement(Field, props));
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('aria-describedby="n-hint n-error"');
    expect(html).toContain('<p id="n-error" class="text-xs font-medium text-red-700 dark:text-red-300">required</p>');
  });
});
