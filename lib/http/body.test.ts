import { describe, expect, it } from "vitest";
import { checkContentType, decodeUtf8, parseJsonBody, readBodyLimited } from "./body";

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://x/api", { method: "POST", body, headers, duplex: "half" } as RequestInit);

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

const refusal = (status: number, message: string) => ({ ok: false, status, message, fieldErrors: {} });

describe("readBodyLimited", () => {
  it("reads UTF-8 text up to the limit exactly", async () => {
    expect(await readBodyLimited(post("é".repeat(512)), 1024)).toEqual({ ok: true, value: "é".repeat(512) });
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const s = stream(100, 1024);
    expect(await readBodyLimited(post(s.body, { "content-length": "102400" }), 1024)).toEqual(
      refusal(413, "the body is larger than the 1 KiB limit (evidence.maxUploadBytes)"),
    );
    expect(s.pulled()).toBeLessThanOrEqual(1);
  });

  it("cuts a streamed body off as soon as it passes the limit", async () => {
    const s = stream(1000, 1024);
    expect(await readBodyLimited(post(s.body), 4096)).toMatchObject({ ok: false, status: 413 });
    expect(s.pulled()).toBeLessThan(10);
  });

  it("names an empty body, and gives the offset of the first byte that is not UTF-8", async () => {
    expect(await readBodyLimited(post(null), 1024)).toEqual(refusal(400, "the body is empty"));
    expect(await readBodyLimited(post(""), 1024)).toEqual(refusal(400, "the body is empty"));
    expect(await readBodyLimited(post(new Uint8Array([0x3c, 0x61, 0xff, 0xfe, 0x3e])), 1024)).toEqual(
      refusal(
        400,
        "the body is not UTF-8: byte 0xFF at offset 2 does not start a valid UTF-8 sequence (send UTF-8 text)",
      ),
    );
  });

  it("refuses a body whose sender went away mid-stream", async () => {
    let sent = false;
    const body = new ReadableStream({
      pull(controller) {
        if (sent) return controller.error(new Error("socket hang up"));
        sent = true;
        controller.enqueue(new Uint8Array([0x3c]));
      },
    });
    expect(await readBodyLimited(post(body), 1024)).toEqual(
      refusal(400, "the body ended before it was complete (the connection was closed)"),
    );
  });
});

describe("decodeUtf8", () => {
  it.each([
    ["Latin-1 é", [0x61, 0xe9, 0x62], 1],
    ["an overlong slash", [0xc0, 0xaf], 0],
    ["a UTF-16 surrogate", [0x41, 0xed, 0xa0, 0x80], 1],
    ["a sequence cut at the end", [0x41, 0x42, 0xe2, 0x82], 2],
  ])("refuses %s with its byte offset", (_name, bytes, offset) => {
    const result = decodeUtf8(new Uint8Array(bytes), "report.xml");
    expect(result).toMatchObject({
      ok: false,
      status: 400,
      message: expect.stringContaining(`report.xml is not UTF-8: byte 0x`),
    });
    expect(!result.ok && result.message).toContain(`at offset ${offset} `);
  });

  it("drops a byte-order mark and keeps everything else", () => {
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0xc3, 0xa9]), "x")).toEqual({ ok: true, value: "Aé" });
  });
});

describe("parseJsonBody", () => {
  it("says where JSON stopped making sense", () => {
    expect(parseJsonBody('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonBody('{"a":')).toMatchObject({
      ok: false,
      status: 400,
      message: expect.stringMatching(/^the body is not valid JSON: /),
    });
  });
});

describe("checkContentType", () => {
  // Bytes, not a string: a string body makes fetch add "text/plain;charset=UTF-8" on its own.
  const typed = (type: string | null) => post(new Uint8Array([0x78]), type === null ? {} : { "content-type": type });
  const XML = ["application/xml", "text/xml"];

  it.each([
    "application/xml",
    "text/xml",
    "Application/XML",
    "application/xml; charset=utf-8",
    'text/xml;charset="UTF-8"',
    "application/xml; charset=utf8",
  ])("accepts %s", (type) => {
    expect(checkContentType(typed(type), XML)).toMatchObject({ ok: true });
  });

  it.each([
    [null, "the request has no Content-Type: send application/xml or text/xml"],
    ["", "the request has no Content-Type: send application/xml or text/xml"],
    [
      "application/x-www-form-urlencoded",
      'Content-Type "application/x-www-form-urlencoded" is not accepted here: send application/xml or text/xml',
    ],
    ["application/json", 'Content-Type "application/json" is not accepted here: send application/xml or text/xml'],
    [
      "multipart/form-data; boundary=x",
      'Content-Type "multipart/form-data" is not accepted here: send application/xml or text/xml (send the report itself as the body, curl --data-binary @report, not as a multipart form)',
    ],
    ["application/xml; charset=iso-8859-1", 'charset "iso-8859-1" is not accepted: send UTF-8 (charset=utf-8)'],
    ["text/xml; charset=utf-16", 'charset "utf-16" is not accepted: send UTF-8 (charset=utf-8)'],
  ])("refuses %j with 415 naming what it accepts", (type, message) => {
    expect(checkContentType(typed(type), XML)).toEqual(refusal(415, message));
  });
});
