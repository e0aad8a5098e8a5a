import { signingKey } from "@/lib/services/statement/issue";

/** The public key statements verify with (SPKI PEM), for `npx preflight verify --key`. Public by nature. */
export function GET(): Response {
  const key = signingKey();
  return new Response(key.publicKeyPem, {
    headers: {
      "content-type": "application/x-pem-file",
      "content-disposition": 'attachment; filename="preflight-statement-key.pem"',
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-preflight-keyid": key.keyid,
    },
  });
}
