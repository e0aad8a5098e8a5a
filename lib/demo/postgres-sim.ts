// A PostgreSQL 16 lookalike on the wire: trust authentication, the simple query protocol and enough of the
// extended protocol for node-postgres' prepared/parameterised health queries.
import { createServer, type Server, type Socket } from "node:net";
import {
  BodyReader,
  encodeAuthenticationOk,
  encodeBackendKeyData,
  encodeBindComplete,
  encodeCloseComplete,
  encodeCommandComplete,
  encodeDataRow,
  encodeEmptyQueryResponse,
  encodeErrorResponse,
  encodeNegotiateProtocolVersion,
  encodeNoData,
  encodeParameterDescription,
  encodeParameterStatus,
  encodeParseComplete,
  encodeReadyForQuery,
  encodeRowDescription,
  PROTOCOL_3_0,
  readMessage,
  readStartupPacket,
  type PgError,
} from "./pg-wire.js";
import {
  encodeValue,
  POSTGRES_SERVER_VERSION,
  resolveStatement,
  splitStatements,
  type QueryOutcome,
} from "./postgres-queries.js";
import { createReplyQueue } from "./reply-queue.js";
import type { SimulatorContext } from "./switchable-server.js";
import type { ModeState } from "./types.js";

export const POSTGRES_STARTING_UP: PgError = {
  severity: "FATAL",
  code: "57P03",
  message: "the database system is starting up",
};

type Statement = { readonly outcome: QueryOutcome; readonly paramOids: readonly number[] };
type Portal = { readonly outcome: QueryOutcome; readonly formats: readonly number[] };

export function buildPostgresServer(ctx: SimulatorContext): Server {
  let nextPid = 4100;
  return createServer((socket) => servePostgresSession(socket, ctx, nextPid++));
}

/** A restart into recovery ends every session, so a switch to failing drops them; new ones then hit 57P03. */
export function handlePostgresModeChange(state: ModeState, ctx: SimulatorContext): void {
  if (state.mode === "failing") ctx.dropConnections();
}

function servePostgresSession(socket: Socket, ctx: SimulatorContext, pid: number): void {
  const queue = createReplyQueue(socket, ctx);
  const statements = new Map<string, Statement>();
  const portals = new Map<string, Portal>();
  let pending: Buffer = Buffer.alloc(0);
  let phase: "startup" | "ready" | "closing" = "startup";
  // After an error in an extended-protocol batch the backend ignores everything up to the next Sync.
  let skipUntilSync = false;

  const fatal = (error: PgError): void => {
    phase = "closing";
    queue.sendAndEnd(encodeErrorResponse(error));
  };

  const handleStartup = (): boolean => {
    const packet = readStartupPacket(pending);
    if (packet.kind === "incomplete") return false;
    if (packet.kind === "invalid") {
      fatal({ severity: "FATAL", code: "08P01", message: "invalid length of startup packet" });
      return false;
    }
    pending = pending.subarray(packet.consumed);
    if (packet.kind === "ssl" || packet.kind === "gssenc") {
      queue.send("N");
      return true;
    }
    if (packet.kind === "cancel") {
      phase = "closing";
      queue.sendAndEnd();
      return false;
    }
    if (packet.version >>> 16 !== 3) {
      fatal({
        severity: "FATAL",
        code: "0A000",
        message: `unsupported frontend protocol ${packet.version >>> 16}.${packet.version & 0xffff}: server supports 3.0 to 3.0`,
      });
      return false;
    }
    if (ctx.state().mode === "failing") {
      fatal(POSTGRES_STARTING_UP);
      return false;
    }
    const user = packet.params.get("user");
    if (user === undefined || user === "") {
      fatal({ severity: "FATAL", code: "28000", message: "no PostgreSQL user name specified in startup packet" });
      return false;
    }
    const greeting = [encodeAuthenticationOk()];
    if (packet.version !== PROTOCOL_3_0) greeting.unshift(encodeNegotiateProtocolVersion(0));
    const parameters: [string, string][] = [
      ["application_name", packet.params.get("application_name") ?? ""],
      ["client_encoding", "UTF8"],
      ["DateStyle", "ISO, MDY"],
      ["integer_datetimes", "on"],
      ["IntervalStyle", "postgres"],
      ["is_superuser", "on"],
      ["server_encoding", "UTF8"],
      ["server_version", POSTGRES_SERVER_VERSION],
      ["session_authorization", user],
      ["standard_conforming_strings", "on"],
      ["TimeZone", "UTC"],
    ];
    greeting.push(...parameters.map(([name, value]) => encodeParameterStatus(name, value)));
    greeting.push(encodeBackendKeyData(pid, (pid * 2_654_435_761) | 0), encodeReadyForQuery("I"));
    queue.send(Buffer.concat(greeting));
    phase = "ready";
    return true;
  };

  const handleMessage = (type: string, body: BodyReader): void => {
    if (type === "X") {
      phase = "closing";
      queue.sendAndEnd();
      return;
    }
    if (type === "S") {
      skipUntilSync = false;
      queue.send(encodeReadyForQuery("I"));
      return;
    }
    if (type === "Q") {
      skipUntilSync = false;
      queue.send(Buffer.concat([...runSimpleQuery(body.cstring()), encodeReadyForQuery("I")]));
      return;
    }
    if (skipUntilSync) return;
    const reply = runExtendedMessage(type, body, statements, portals);
    if (reply === "unsupported") {
      fatal({ severity: "FATAL", code: "08P01", message: `invalid frontend message type ${type.charCodeAt(0)}` });
      return;
    }
    if (reply.failed) skipUntilSync = true;
    if (reply.chunks.length > 0) queue.send(Buffer.concat(reply.chunks));
  };

  socket.on("data", (data: Buffer) => {
    if (phase === "closing") return;
    pending = pending.length === 0 ? data : Buffer.concat([pending, data]);
    while (phase === "startup") {
      if (!handleStartup()) return;
    }
    while (phase === "ready") {
      const frame = readMessage(pending);
      if (frame === null) return;
      if (frame === "invalid") {
        fatal({ severity: "FATAL", code: "08P01", message: "invalid message length" });
        return;
      }
      pending = pending.subarray(frame.consumed);
      handleMessage(frame.type, new BodyReader(frame.body));
    }
  });
}

function runSimpleQuery(sql: string): Buffer[] {
  const out: Buffer[] = [];
  for (const statement of splitStatements(sql)) {
    const outcome = resolveStatement(statement);
    if (outcome.kind === "rows") out.push(encodeRowDescription(outcome.fields, []));
    out.push(...renderExecution(outcome, []));
    if (outcome.kind === "error") break;
  }
  return out;
}

function renderExecution(outcome: QueryOutcome, formats: readonly number[]): Buffer[] {
  if (outcome.kind === "empty") return [encodeEmptyQueryResponse()];
  if (outcome.kind === "error") return [encodeErrorResponse(outcome.error)];
  const rows = outcome.rows.map((row) =>
    encodeDataRow(
      row.map((value, i) => {
        const field = outcome.fields[i];
        return field === undefined ? null : encodeValue(value, field, pickFormat(formats, i));
      }),
    ),
  );
  return [...rows, encodeCommandComplete(outcome.tag)];
}

/** Bind's result-format rule: none means text, one applies to all columns, otherwise one per column. */
function pickFormat(formats: readonly number[], column: number): number {
  return formats.length === 1 ? (formats[0] ?? 0) : (formats[column] ?? 0);
}

function describe(outcome: QueryOutcome, formats: readonly number[]): Buffer {
  if (outcome.kind !== "rows") return encodeNoData();
  return encodeRowDescription(
    outcome.fields,
    outcome.fields.map((_, i) => pickFormat(formats, i)),
  );
}

type ExtendedReply = { readonly chunks: Buffer[]; readonly failed: boolean };

function runExtendedMessage(
  type: string,
  body: BodyReader,
  statements: Map<string, Statement>,
  portals: Map<string, Portal>,
): ExtendedReply | "unsupported" {
  const failWith = (error: PgError): ExtendedReply => ({ chunks: [encodeErrorResponse(error)], failed: true });
  switch (type) {
    case "P": {
      const name = body.cstring();
      const outcome = resolveStatement(body.cstring());
      const paramOids = Array.from({ length: Math.max(0, body.int16()) }, () => body.int32());
      // Real PostgreSQL rejects an unanswerable statement at Parse time, so the error surfaces there too.
      if (outcome.kind === "error") return failWith(outcome.error);
      statements.set(name, { outcome, paramOids });
      return { chunks: [encodeParseComplete()], failed: false };
    }
    case "B": {
      const portal = body.cstring();
      const statementName = body.cstring();
      const paramFormats = Math.max(0, body.int16());
      for (let i = 0; i < paramFormats; i++) body.int16();
      const params = Math.max(0, body.int16());
      for (let i = 0; i < params; i++) body.bytes(body.int32());
      const formats = Array.from({ length: Math.max(0, body.int16()) }, () => body.int16());
      const statement = statements.get(statementName);
      if (statement === undefined) {
        return failWith({
          severity: "ERROR",
          code: "26000",
          message: `prepared statement "${statementName}" does not exist`,
        });
      }
      portals.set(portal, { outcome: statement.outcome, formats });
      return { chunks: [encodeBindComplete()], failed: false };
    }
    case "D": {
      const target = body.byte();
      const name = body.cstring();
      if (target === "S") {
        const statement = statements.get(name);
        if (statement === undefined)
          return failWith({ severity: "ERROR", code: "26000", message: `prepared statement "${name}" does not exist` });
        return {
          chunks: [encodeParameterDescription(statement.paramOids), describe(statement.outcome, [])],
          failed: false,
        };
      }
      const portal = portals.get(name);
      if (portal === undefined)
        return failWith({ severity: "ERROR", code: "34000", message: `portal "${name}" does not exist` });
      return { chunks: [describe(portal.outcome, portal.formats)], failed: false };
    }
    case "E": {
      const name = body.cstring();
      const portal = portals.get(name);
      if (portal === undefined)
        return failWith({ severity: "ERROR", code: "34000", message: `portal "${name}" does not exist` });
      return { chunks: renderExecution(portal.outcome, portal.formats), failed: false };
    }
    case "C": {
      const target = body.byte();
      const name = body.cstring();
      (target === "S" ? statements : portals).delete(name);
      return { chunks: [encodeCloseComplete()], failed: false };
    }
    case "H":
      return { chunks: [], failed: false };
    default:
      return "unsupported";
  }
}
