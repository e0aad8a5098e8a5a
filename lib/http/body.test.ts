import { describe, expect, it } from "vitest";
import { parseJsonBody, readBodyLimited } from "./body";

const post = (body: BodyInit | null, headers: Record<string, string> = {}) => new Request("http://x/api", { method: "POST", body, headers, duplex: "half" } as RequestInit);

function stream(chunks: number, size: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  return {
    body: new ReadableStream({
      pull(controller) {
        if (pulled === chunks) return controller.close();
        pulled += 1;
        controller.enqueue(new Uint8Array(size).fill(65));
      },
    }),
    pulled: () => pulled,
  };
}

describe("readBodyLimited", () => {
  it("reads UTF-8 text up to the limit exactly", async () => {
    expect(await readBodyLimited(post("é".repeat(512)), 1024)).toEqual({ ok: true, text: "é".repeat(512) });
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const s = stream(100, 1024);
    expect(await readBodyLimited(post(s.body, { "content-length": "102400" }), 1024)).toEqual({ ok: false, status: 413, error: "the body is larger than the 1 KiB limit" });
    expect(s.pulled()).toBeLessThanOrEqual(1);
  });

  it("cuts a streamed body off as soon as it passes the limit", async () => {
    const s = stream(1000, 1024);
    expect(await readBodyLimited(post(s.body), 4096)).toMatchObject({ ok: false, status: 413 });
    expect(s.pulled()).toBeLessThan(10);
  });

  it("names an empty body and bytes that are not UTF-8", async () => {
    expect(await readBodyLimited(post(null), 1024)).toEqual({ ok: false, status: 400, error: "the body is empty" });
    expect(await readBodyLimited(post(""), 1024)).toEqual({ ok: false, status: 400, error: "the body is empty" });
    expect(await readBodyLimited(post(new Uint8Array([0x3c, 0xff, 0xfe, 0x3e])), 1024)).toEqual({ ok: false, status: 400, error: "the body is not valid UTF-8 text" });
  });
});

describe("parseJsonBody", () => {
  it("says where JSON stopped making sense", () => {
    expect(parseJsonBody('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonBody('{"a":')).toMatchObject({ ok: false, status: 400, error: expect.stringMatching(/^the body is not valid JSON: /) });
  });
});
