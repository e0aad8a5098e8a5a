import { readFile } from "node:fs/promises";
import type { TTls } from "../config/probe-schema";

/** What node:tls takes; PEM text or file contents. */
export type TlsMaterial = {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized: boolean;
  servername?: string;
};

const isPem = (value: string): boolean => value.includes("-----BEGIN ");

/**
 * Reads `tls.ca/cert/key`, each a file path or the PEM itself. Files are read on every check, so a rotated
 * certificate is picked up without a restart; an unreadable file fails the check naming the field.
 */
export async function loadTlsMaterial(tls: TTls | undefined): Promise<TlsMaterial> {
  if (tls === undefined) return { rejectUnauthorized: true };
  const read = async (field: "ca" | "cert" | "key"): Promise<string | Buffer | undefined> => {
    const value = tls[field];
    if (value === undefined || isPem(value)) return value;
    try {
      return await readFile(value);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The value is not echoed: a key pasted without its BEGIN line would otherwise end up in a stored error.
      const reason = code === "ENOENT" ? "no such file" : (code ?? "unreadable");
      throw new Error(`cannot read tls.${field}: ${reason} (expected a file path or a PEM block)`, { cause: error });
    }
  };
  const [ca, cert, key] = await Promise.all([read("ca"), read("cert"), read("key")]);
  return {
    rejectUnauthorized: tls.rejectUnauthorized,
    ...(ca !== undefined && { ca }),
    ...(cert !== undefined && { cert }),
    ...(key !== undefined && { key }),
    ...(tls.servername !== undefined && { servername: tls.servername }),
  };
}
