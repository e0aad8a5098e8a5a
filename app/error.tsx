"use client";

import { ErrorState } from "@/components/outage/error-state";

// A page that failed in a way it did not answer itself; the header and navigation of the root layout stay.
export default function PageError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return <ErrorState digest={error.digest} retry={retry} />;
}
