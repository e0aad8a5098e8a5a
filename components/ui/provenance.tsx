import { RelativeTime } from "./relative-time";

const URL_RE = /^https?:\/\/\S+$/;

/** Where a figure comes from; an evidence link is a link (only http and https are ever stored). */
export function Source({ source, evidenceUrl }: { source: string | null; evidenceUrl?: string }) {
  if (source === null) return <span className="text-slate-500 dark:text-slate-400">no evidence</span>;
  if (evidenceUrl && URL_RE.test(evidenceUrl)) {
    return (
      <span className="break-words">
        {source} · evidence{" "}
        <a
          href={evidenceUrl}
          rel="noreferrer noopener"
          target="_blank"
          className="break-all underline underline-offset-2"
        >
          {evidenceUrl}
        </a>
      </span>
    );
  }
  if (URL_RE.test(source)) {
    return (
      <a href={source} rel="noreferrer noopener" target="_blank" className="break-all underline underline-offset-2">
        {source}
      </a>
    );
  }
  return <span className="break-words">{source}</span>;
}

/** "observed 3h 0m ago", ticking, with the exact time as a tooltip; "never observed" without evidence. */
export function ObservedAge({ at, now, verb = "observed" }: { at: string | null; now: string; verb?: string }) {
  if (at === null) return <span className="text-slate-500 dark:text-slate-400">never {verb}</span>;
  return (
    <span className="whitespace-nowrap">
      {verb} <RelativeTime iso={at} serverNow={now} />
    </span>
  );
}
