"use client";

import { ErrorState } from "@/components/outage/error-state";
import "./globals.css";

// The root layout itself failed: this replaces it, so it brings its own document.
export default function GlobalError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <main className="mx-auto max-w-6xl px-4 py-6">
          <p className="mb-4 text-lg font-semibold tracking-tight">Preflight</p>
          <ErrorState digest={error.digest} retry={retry} />
        </main>
      </body>
    </html>
  );
}
