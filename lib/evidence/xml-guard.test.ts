import { describe, expect, it } from "vitest";
import { findDeclaration, readRootName, screenXml } from "./xml-guard";
import { decodeXmlReferences, truncateText } from "./xml-tree";

describe("findDeclaration", () => {
  it.each([
    ["<!DOCTYPE a><a/>", 0],
    ['<?xml version="1.0"?>\n<!DOCTYPE a>', 22],
    ["<a><!ENTITY x 'y'></a>", 3],
    ["<!-- <!DOCTYPE a> --><a/>", -1],
    ["<a><![CDATA[<!ENTITY x>]]></a>", -1],
    ["<a><![CDATA[x]]><!-- y --><!DOCTYPE b></a>", 26],
    ["<!-- unterminated <!DOCTYPE a>", 18],
    ["<a/>", -1],
    ["<!", -1],
  ])("%j -> %d", (xml, index) => {
    expect(findDeclaration(xml)).toBe(index);
  });
});

describe("readRootName", () => {
  it.each([
    ["<testsuites/>", "testsuites"],
    ['  <?xml version="1.0"?>\n<!-- a --> <?pi x?>\n<testsuite name="x">', "testsuite"],
    ["<ns:root/>", "ns:root"],
    ["<!-- never closed <a/>", null],
    ["<?xml never closed", null],
    ["text", null],
    ["", null],
  ])("%j -> %s", (xml, name) => {
    expect(readRootName(xml)).toBe(name);
  });

  it("gets through a long hostile prolog in linear time", () => {
    const prolog = "<?x?>".repeat(200_000);
    const started = performance.now();
    expect(readRootName(`${prolog}<a/>`)).toBe("a");
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("screenXml", () => {
  it("returns the document without its byte-order mark", () => {
    expect(screenXml("\uFEFF<a/>", "XML")).toEqual({ ok: true, xml: "<a/>" });
  });

  it("names the expected document in its messages", () => {
    expect(screenXml("{}", "a Surefire report")).toEqual({
      ok: false,
      error: "expected a Surefire report, got JSON",
      malformed: true,
    });
  });
});

describe("decodeXmlReferences", () => {
  it.each([
    ["plain", "plain"],
    ["&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos;", `<a> & "b" 'c'`],
    ["&#10;&#x9;&#x41;&#128512;", "\n\tA😀"],
    ["&amp;lt;", "&lt;"],
    ["&nbsp; &copy; &unknown;", "&nbsp; &copy; &unknown;"],
    // NUL and a surrogate are decoded so that the input policy refuses them; beyond U+10FFFF there is nothing to decode.
    ["&#0; &#xD800; &#x110000; &#99999999;", "\u0000 \ud800 &#x110000; &#99999999;"],
    ["& alone; &lt", "& alone; &lt"],
  ])("%j -> %j", (text, decoded) => {
    expect(decodeXmlReferences(text)).toBe(decoded);
  });
});

describe("truncateText", () => {
  it("keeps short text and cuts long text without splitting a surrogate pair", () => {
    expect(truncateText("abc", 5)).toBe("abc");
    expect(truncateText("abcdef", 3)).toBe("abc");
    expect(truncateText("ab😀", 3)).toBe("ab");
    expect(truncateText("ab😀", 4)).toBe("ab😀");
  });
});

describe("findDeclaration on hostile input", () => {
  it("stays linear with a million unterminated comment openers", () => {
    const started = performance.now();
    expect(findDeclaration("<!--".repeat(1_000_000))).toBe(-1);
    expect(findDeclaration(`${"<![CDATA[".repeat(100_000)}<!ENTITY x "y">`)).toBe(900_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
