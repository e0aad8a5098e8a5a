// A block of code or a message that may be wider or taller than its box: it scrolls inside it, so it is a tab stop
// with a name (a region keyboard users can scroll), as WCAG's "scrollable region focusable" asks.

export const CODE_BLOCK =
  "max-w-full overflow-auto rounded bg-slate-100 p-3 font-mono text-xs leading-relaxed dark:bg-slate-950";

export function CodeBlock({
  label,
  className = CODE_BLOCK,
  children,
  ...rest
}: {
  label: string;
  className?: string;
  children: React.ReactNode;
  "data-testid"?: string;
}) {
  return (
    <pre tabIndex={0} role="region" aria-label={label} className={className} {...rest}>
      {children}
    </pre>
  );
}
