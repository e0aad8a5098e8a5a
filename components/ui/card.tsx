import { useId, type ReactNode } from "react";

// The one card of the app: a titled, bordered section. The class strings live here and nowhere else; `CARD` is for
// the rare box that is not a section (a list item, a form's frame).

export type TCardTone = "default" | "danger" | "warning" | "success";

const BOX = "min-w-0 rounded-lg border";
const TONES: Record<TCardTone, string> = {
  default: "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900",
  danger: "border-red-400 bg-red-50 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
  warning: "border-amber-400 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
  success:
    "border-emerald-400 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
};

/** Card class strings: `CARD.default` is the padded white box; `CARD.box` the same without padding (a table's frame). */
export const CARD = {
  default: `${BOX} p-4 ${TONES.default}`,
  danger: `${BOX} p-4 ${TONES.danger}`,
  warning: `${BOX} p-4 ${TONES.warning}`,
  success: `${BOX} p-4 ${TONES.success}`,
  /** The white box without padding: the frame of a table or a list. */
  box: `${BOX} ${TONES.default}`,
  /** A lighter inner box (a project inside a section), no background. */
  inset: "min-w-0 space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800",
} as const;

/** Heading class strings, by level: a page section (h2) and a card inside one (h3). */
export const HEADING = { 2: "text-lg font-semibold", 3: "font-semibold" } as const;

type TSectionProps = {
  /** The heading; without one the section has no name, so give `aria-label` through a title whenever possible. */
  title?: ReactNode;
  headingLevel?: 2 | 3;
  /** The section's id; the heading gets `${id}-heading`. */
  id?: string;
  /** Beside the heading, right-aligned: a link, a button, a count. */
  actions?: ReactNode;
  className?: string;
  children?: ReactNode;
  "data-testid"?: string;
  /** Other data-* attributes tests rely on, passed to the <section>. */
  data?: Record<`data-${string}`, string | number | boolean | undefined>;
  as?: "section" | "article";
};

function Titled({
  title,
  headingLevel = 2,
  id,
  actions,
  className,
  children,
  as: Tag = "section",
  box,
  ...rest
}: TSectionProps & { box: string }) {
  const generated = useId();
  const headingId = id ? `${id}-heading` : `${generated}-heading`;
  const Heading = headingLevel === 3 ? "h3" : "h2";
  const heading = title ? (
    <Heading id={headingId} className={`min-w-0 break-words ${HEADING[headingLevel]}`}>
      {title}
    </Heading>
  ) : null;
  return (
    <Tag
      id={id}
      aria-labelledby={title ? headingId : undefined}
      data-testid={rest["data-testid"]}
      {...rest.data}
      className={`${box} ${className ?? ""}`.trim()}
    >
      {actions ? (
        <div className="flex min-w-0 flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
          {heading}
          <div className="flex flex-wrap items-center gap-2 text-sm">{actions}</div>
        </div>
      ) : (
        heading
      )}
      {children}
    </Tag>
  );
}

/** A titled card: `<section aria-labelledby>` with an h2 (or h3) and the one card class string. */
export function Card({ tone = "default", className, ...props }: TSectionProps & { tone?: TCardTone }) {
  // A caller's own spacing replaces the default one rather than fighting it.
  return (
    <Titled
      {...props}
      box={className?.includes("space-y-") ? CARD[tone] : `${CARD[tone]} space-y-3`}
      className={className}
    />
  );
}

/** A titled page section without a box (a heading and what follows it). */
export function Section({ className, ...props }: TSectionProps) {
  return (
    <Titled {...props} box={className?.includes("space-y-") ? "min-w-0" : "min-w-0 space-y-4"} className={className} />
  );
}
