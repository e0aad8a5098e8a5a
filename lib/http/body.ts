import { findInvalidUtf8 } from "../config/utf8";
import { formatBytes } from "../format";
import { fail, ok, type TResult } from "../services/result";

/**
 * Reads a request body as UTF-8 text, refusing it with 413 as soon as it passes `maxBytes`: a declared
 * Content-Length over the limit is refused before a byte is read, and a chunked body is cut off at the limit,
 * so an oversized upload never sits in memory whole and no cut-off part is ever parsed.
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<TResult<string>> {
  const tooLarge = () =>
    fail(413, `the body is larger than the ${formatBytes(maxBytes)} limit (evidence.maxUploadBytes)`);
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) return tooLarge();
  if (!request.body) return fail(400, "the body is empty");
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      // The client went away mid-upload: whatever arrived is not the report it meant to send.
      return fail(400, "the body ended before it was complete (the connection was closed)");
    }
    if (next.done) break;
    size += next.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge();
    }
    chunks.push(next.value);
  }
  if (size === 0) return fail(400, "the body is empty");
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decodeUtf8(bytes, "the body");
}

/** UTF-8 bytes as text, or a 400 that gives the offset of the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, what: string): TResult<string> {
  const at = findInvalidUtf8(bytes);
  if (at !== null) {
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    return fail(
      400,
      `${what} is not UTF-8: byte 0x${byte} at offset ${at} does not start a valid UTF-8 sequence (send UTF-8 text)`,
    );
  }
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  return ok(text);
}

/** A JSON body, or a 400 that says where it stopped making sense. */
export function parseJsonBody(text: string, what = "the body"): TResult<unknown> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    // JSON.parse quotes the text where it stopped as it is: its control characters are escaped, so a refusal (on an
    // endpoint or in the upload form) never carries one into a log or a page.
    const message = (error as Error).message.replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    return fail(400, `${what} is not valid JSON: ${message}`);
  }
}

/**
 * The request's Content-Type against the media types an endpoint reads: 415 naming them when it is absent or
 * another, or when it declares a charset other than UTF-8.
 */
export function checkContentType(request: Request, accepted: readonly string[]): TResult<string> {
  const header = request.headers.get("content-type");
  const list = accepted.join(" or ");
  if (header === null || header.trim() === "") return fail(415, `the request has no Content-Type: send ${list}`);
  const [type = "", ...params] = header.split(";").map((part) => part.trim());
  const media = type.toLowerCase();
  if (!accepted.includes(media)) {
    const shown = media.length > 100 ? `${media.slice(0, 100)}…` : media;
    const hint = media.startsWith("multipart/")
      ? " (send the report itself as the body, curl --data-binary @report, not as a multipart form)"
      : "";
    return fail(415, `Content-Type ${JSON.stringify(shown)} is not accepted here: send ${list}${hint}`);
  }
  for (const param of params) {
    const [name = "", value = ""] = param.split("=").map((part) => part.trim());
    if (name.toLowerCase() !== "charset") continue;
    const charset = value.replace(/^"|"$/g, "").toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8")
      return fail(415, `charset ${JSON.stringify(charset.slice(0, 40))} is not accepted: send UTF-8 (charset=utf-8)`);
  }
  return ok(media);
}
