"use client";

/** Prints the page with the browser's own dialog (Save as PDF works without Chromium on the server). */
export function PrintButton({ className }: { className: string }) {
  return (
    <button type="button" onClick={() => window.print()} className={className}>
      Print…
    </button>
  );
}
