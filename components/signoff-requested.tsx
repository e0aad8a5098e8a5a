import Link from "next/link";
import type { TShell } from "@/lib/queries/shell";

const STATE_TEXT = {
  pending: "not signed yet",
  stale: "your sign-off went stale: sign again",
  expired: "your sign-off expired: sign again",
} as const;

/** On the overview, for a person who holds a sign-off role that awaits them: what is asked, and where to sign. */
export function SignOffRequested({ requested }: { requested: TShell["requested"] }) {
  return (
    <section
      aria-labelledby="requested-heading"
      data-testid="signoff-requested"
      className="rounded-lg border-2 border-sky-700 bg-sky-50 p-4 text-sky-950 dark:border-sky-400 dark:bg-sky-950 dark:text-sky-50"
    >
      <h2 id="requested-heading" className="text-lg font-semibold">
        Your sign-off is requested
      </h2>
      <ul className="mt-1 text-sm">
        {requested.map((r) => (
          <li key={r.role}>
            <strong>{r.name}</strong>:{" "}
            {r.state in STATE_TEXT ? STATE_TEXT[r.state as keyof typeof STATE_TEXT] : r.state}
          </li>
        ))}
      </ul>
      <Link
        href="/signoff"
        className="mt-2 inline-block rounded bg-sky-800 px-3 py-1.5 text-sm font-semibold text-white hover:bg-sky-900 dark:bg-sky-200 dark:text-sky-950"
      >
        Review and sign
      </Link>
    </section>
  );
}
