/** A small rounded label: an icon (hidden from screen readers) and a word, so state never rests on colour alone. */
export function Pill({
  icon,
  label,
  className,
  data,
}: {
  icon: string;
  label: string;
  className: string;
  data: Record<`data-${string}`, string>;
}) {
  return (
    <span
      {...data}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${className}`}
    >
      <span aria-hidden="true">{icon}</span>
      {label}
    </span>
  );
}
