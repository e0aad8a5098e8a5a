// PostgreSQL frontend/backend protocol v3 framing: just the messages a health probe and node-postgres exchange.

export const PROTOCOL_3_0 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
// Far above any startup or query a probe sends; stops a garbage length from buffering unbounded data.
const MAX_MESSAGE_BYTES = 1024 * 1024;

export type StartupPacket =
  | { readonly kind: "incomplete" }
  | { readonly kind: "invalid" }
  | { readonly kind: "ssl"; readonly consumed: number }
  | { readonly kind: "gssenc"; readonly consumed: number }
  | { readonly kind: "cancel"; readonly consumed: number }
  | {
      readonly kind: "startup";
      readonly version: number;
      readonly params: ReadonlyMap<string, string>;
      readonly consumed: number;
    };

export type FrontendMessage = { readonly type: string; readonly body: Buffer; readonly consumed: number };

export function readStartupPacket(buffer: Buffer): StartupPacket {
  if (buffer.length < 8) return { kind: "incomplete" };
  const length = buffer.readInt32BE(0);
  if (length < 8 || length > MAX_MESSAGE_BYTES) return { kind: "invalid" };
  if (buffer.length < length) return { kind: "incomplete" };
  const code = buffer.readInt32BE(4);
  if (code === SSL_REQUEST) return { kind: "ssl", consumed: length };
  if (code === GSSENC_REQUEST) return { kind: "gssenc", consumed: length };
  if (code === CANCEL_REQUEST) return { kind: "cancel", consumed: length };
  const reader = new BodyReader(buffer.subarray(8, length));
  const params = new Map<string, string>();
  while (reader.remaining() > 1) {
    const key = reader.cstring();
    if (key === "") break;
    params.set(key, reader.cstring());
  }
  return { kind: "startup", version: code, params, consumed: length };
}

/** null while incomplete; "invalid" when the length field cannot be right. */
export function readMessage(buffer: Buffer): FrontendMessage | "invalid" | null {
  if (buffer.length < 5) return null;
  const length = buffer.readInt32BE(1);
  if (length < 4 || length > MAX_MESSAGE_BYTES) return "invalid";
  if (buffer.length < length + 1) return null;
  return { type: String.fromCharCode(buffer[0] ?? 0), body: buffer.subarray(5, length + 1), consumed: length + 1 };
}

/** Sequential reads over a message body; reads past the end yield empty values rather than throwing. */
export class BodyReader {
  private offset = 0;
  private readonly body: Buffer;
  constructor(body: Buffer) {
    this.body = body;
  }
  remaining(): number {
    return this.body.length - this.offset;
  }
  byte(): string {
    const value = this.body[this.offset];
    this.offset += 1;
    return value === undefined ? "" : String.fromCharCode(value);
  }
  int16(): number {
    if (this.remaining() < 2) return 0;
    const value = this.body.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  int32(): number {
    if (this.remaining() < 4) return 0;
    const value = this.body.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  bytes(count: number): Buffer {
    const slice = this.body.subarray(this.offset, this.offset + Math.max(0, count));
    this.offset += slice.length;
    return slice;
  }
  cstring(): string {
    const end = this.body.indexOf(0, this.offset);
    const stop = end === -1 ? this.body.length : end;
    const value = this.body.toString("utf8", this.offset, stop);
    this.offset = stop + 1;
    return value;
  }
}

function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const int16 = (value: number): Buffer => {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
};
const int32 = (value: number): Buffer => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};
const cstring = (value: string): Buffer => Buffer.from(`${value}\0`, "utf8");

export type FieldDescription = { readonly name: string; readonly typeOid: number; readonly typeSize: number };
export const INT4_OID = 23;
export const TEXT_OID = 25;

export const encodeAuthenticationOk = (): Buffer => message("R", int32(0));
export const encodeParameterStatus = (name: string, value: string): Buffer =>
  message("S", cstring(name), cstring(value));
export const encodeBackendKeyData = (pid: number, secret: number): Buffer => message("K", int32(pid), int32(secret));
export const encodeReadyForQuery = (status: "I" | "T" | "E"): Buffer => message("Z", Buffer.from(status, "latin1"));
export const encodeCommandComplete = (tag: string): Buffer => message("C", cstring(tag));
export const encodeEmptyQueryResponse = (): Buffer => message("I");
export const encodeParseComplete = (): Buffer => message("1");
export const encodeBindComplete = (): Buffer => message("2");
export const encodeCloseComplete = (): Buffer => message("3");
export const encodeNoData = (): Buffer => message("n");
export const encodeParameterDescription = (oids: readonly number[]): Buffer =>
  message("t", int16(oids.length), ...oids.map(int32));
export const encodeNegotiateProtocolVersion = (newestMinor: number): Buffer =>
  message("v", int32(newestMinor), int32(0));

/** Format codes per column: 0 text, 1 binary. */
export function encodeRowDescription(fields: readonly FieldDescription[], formats: readonly number[]): Buffer {
  const described = fields.map((field, i) =>
    Buffer.concat([
      cstring(field.name),
      int32(0),
      int16(0),
      int32(field.typeOid),
      int16(field.typeSize),
      int32(-1),
      int16(formats[i] ?? 0),
    ]),
  );
  return message("T", int16(fields.length), ...described);
}

export function encodeDataRow(values: readonly (Buffer | null)[]): Buffer {
  const columns = values.map((value) => (value === null ? int32(-1) : Buffer.concat([int32(value.length), value])));
  return message("D", int16(values.length), ...columns);
}

export type PgError = { readonly severity: "ERROR" | "FATAL"; readonly code: string; readonly message: string };

export function encodeErrorResponse(error: PgError): Buffer {
  const fields = [
    ["S", error.severity],
    ["V", error.severity],
    ["C", error.code],
    ["M", error.message],
  ] as const;
  return message(
    "E",
    ...fields.map(([key, value]) => Buffer.concat([Buffer.from(key, "latin1"), cstring(value)])),
    Buffer.from([0]),
  );
}
