import { withDatabase } from "@/lib/http/database";
import { handleEvidencePost } from "@/lib/http/evidence-route";

export const POST = withDatabase((request: Request) => handleEvidencePost(request, "compose"));
