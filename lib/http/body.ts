import { formatBytes } from "../evidence/input";

export type TBodyResult = { ok: true; text: string } | { ok: false; status: 400 | 413; error: string };

/**
 * Reads a request body as UTF-8 text, refusing it with 413 as soon as it passes `maxBytes`: a declared
 * Content-Length over the limit is refused before a byte is read, and a chunked body is cut off at the limit,
 * so an oversized upload never sits in memory whole.
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<TBodyResult> {
  const tooLarge = (): TBodyResult => ({ ok: false, status: 413, error: `the body is larger than the ${formatBytes(maxBytes)} limit` });
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) return tooLarge();
  if (!request.body) return { ok: false, status: 400, error: "the body is empty" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge();
    }
    chunks.push(value);
  }
  if (size === 0) return { ok: false, status: 400, error: "the body is empty" };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { ok: false, status: 400, error: "the body is not valid UTF-8 text" };
  }
}

/** A JSON body, or a 400 that says where it stopped making sense. */
export function parseJsonBody(text: string): { ok: true; value: unknown } | { ok: false; status: 400; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, status: 400, error: `the body is not valid JSON: ${(error as Error).message}` };
  }
}
