import { handleEvidencePost } from "@/lib/http/evidence-route";

export async function POST(request: Request) {
  return handleEvidencePost(request, "attestation");
}
