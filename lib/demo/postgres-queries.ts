// The handful of statements health checks run against PostgreSQL, answered the way PostgreSQL 16 would.
import { INT4_OID, TEXT_OID, type FieldDescription, type PgError } from "./pg-wire.js";

export const POSTGRES_SERVER_VERSION = "16.4";
export const POSTGRES_VERSION_STRING =
  "PostgreSQL 16.4 (x0tta6bl4 demo) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit";
const TIMESTAMPTZ_OID = 1184;
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

export type QueryOutcome =
  | {
      readonly kind: "rows";
      readonly fields: readonly FieldDescription[];
      readonly rows: readonly (readonly string[])[];
      readonly tag: string;
    }
  | { readonly kind: "empty" }
  | { readonly kind: "error"; readonly error: PgError };

const SQL_KEYWORDS = new Set([
  "select",
  "insert",
  "update",
  "delete",
  "with",
  "show",
  "set",
  "begin",
  "start",
  "commit",
  "rollback",
  "create",
  "drop",
  "alter",
  "explain",
  "values",
  "table",
  "copy",
  "listen",
  "notify",
  "vacuum",
  "analyze",
  "truncate",
]);

const oneColumn = (name: string, typeOid: number, typeSize: number, value: string, tag = "SELECT 1"): QueryOutcome => ({
  kind: "rows",
  fields: [{ name, typeOid, typeSize }],
  rows: [[value]],
  tag,
});

/** Splits a simple-protocol query string into statements; quoted text is out of scope, so it is left whole. */
export function splitStatements(sql: string): string[] {
  if (/['"$]/.test(sql)) return [sql];
  const parts = sql.split(";").filter((part) => part.trim() !== "");
  return parts.length === 0 ? [""] : parts;
}

export function resolveStatement(sql: string): QueryOutcome {
  const normal = sql
    .replace(/--[^\n]*/g, "")
    .replace(/;\s*$/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
  if (normal === "") return { kind: "empty" };
  if (/^select 1$/.test(normal)) return oneColumn("?column?", INT4_OID, 4, "1");
  if (/^select version ?\( ?\)$/.test(normal)) return oneColumn("version", TEXT_OID, -1, POSTGRES_VERSION_STRING);
  if (/^select (?:now ?\( ?\)|current_timestamp)$/.test(normal)) {
    const name = normal.includes("now") ? "now" : "current_timestamp";
    return oneColumn(name, TIMESTAMPTZ_OID, 8, formatTimestamptz(new Date()));
  }
  if (normal === "show server_version")
    return oneColumn("server_version", TEXT_OID, -1, POSTGRES_SERVER_VERSION, "SHOW");
  const firstWord = normal.split(/[\s(;]/)[0] ?? normal;
  if (!SQL_KEYWORDS.has(firstWord)) {
    return {
      kind: "error",
      error: { severity: "ERROR", code: "42601", message: `syntax error at or near "${firstWord}"` },
    };
  }
  return {
    kind: "error",
    error: {
      severity: "ERROR",
      code: "0A000",
      message:
        "the x0tta6bl4 demo database only answers SELECT 1, SELECT version(), SELECT now() and SHOW server_version",
    },
  };
}

/** Encodes a text-form value in the requested wire format (0 text, 1 binary) for its column type. */
export function encodeValue(value: string, field: FieldDescription, format: number): Buffer {
  if (format !== 1 || field.typeOid === TEXT_OID) return Buffer.from(value, "utf8");
  if (field.typeOid === INT4_OID) {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32BE(Number(value));
    return buffer;
  }
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(BigInt(Date.parse(value.replace(" ", "T").replace(/\+00$/, "Z")) - POSTGRES_EPOCH_MS) * 1000n);
  return buffer;
}

function formatTimestamptz(date: Date): string {
  return `${date.toISOString().replace("T", " ").replace("Z", "")}000+00`;
}
