import type { ReactNode } from "react";
import { CARD } from "./card";

// The one table of the app. One DOM for both widths, restyled by CSS:
//
// - md+ (768 px and wider): a real <table> in an `overflow-x-auto` box that never grows past its parent.
// - below md: the same rows stacked as a list; each row is a small card whose primary cells make its heading line
//   and whose other cells read "Header: value" (the label is CSS generated content from `data-label`, so it is not
//   page text and no test or screen reader reads it twice).
//
// Keeping one DOM means a row is always one <tr> with the caller's data-* attributes and ids: selectors such as
// `tr[data-component]` count the same at every width, and nothing inside a cell (a test id, a form) exists twice.
// The box is `relative`: absolutely positioned screen-reader text (`sr-only`) inside a wide table is contained by it
// instead of widening the page, which is what made pages 431 to 996 px wide at 390 px.

/** Class strings, once: the table, its header row and cells, a body row and the box around it. */
export const TABLE = "w-full text-left text-sm";
export const THEAD =
  "border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400";
export const TH = "px-3 py-2 font-medium";
export const TD = "px-3 py-2";
export const TR = "border-b border-slate-100 align-top last:border-0 dark:border-slate-800";
/** The box a table scrolls in: never wider than its parent, and the containing block of any sr-only text inside. */
export const TABLE_BOX = `relative max-w-full overflow-x-auto ${CARD.box}`;
/** The same box without the card frame, for a table already inside a card. */
export const TABLE_BOX_BARE = "relative min-w-0 max-w-full overflow-x-auto";

// Below md on a screen (never in print, whose page is narrower than md: a PDF keeps real tables), the table and its
// parts become blocks, each row a flex line that wraps. The variant is written out in full in every class, as
// Tailwind finds classes by reading the source: `[@media_screen_and_(width<48rem)]:` is "phone".
const PHONE_TABLE = "[@media_screen_and_(width<48rem)]:block";
const PHONE_THEAD = "[@media_screen_and_(width<48rem)]:sr-only";
const PHONE_TBODY = "[@media_screen_and_(width<48rem)]:block";
const PHONE_TR =
  "[@media_screen_and_(width<48rem)]:flex [@media_screen_and_(width<48rem)]:flex-wrap [@media_screen_and_(width<48rem)]:items-baseline [@media_screen_and_(width<48rem)]:gap-x-2 [@media_screen_and_(width<48rem)]:gap-y-0.5 [@media_screen_and_(width<48rem)]:px-3 [@media_screen_and_(width<48rem)]:py-2";
const PHONE_PRIMARY =
  "[@media_screen_and_(width<48rem)]:order-first [@media_screen_and_(width<48rem)]:p-0 [@media_screen_and_(width<48rem)]:font-semibold [@media_screen_and_(width<48rem)]:[overflow-wrap:anywhere]";
const PHONE_CELL =
  "[@media_screen_and_(width<48rem)]:block [@media_screen_and_(width<48rem)]:basis-full [@media_screen_and_(width<48rem)]:p-0 [@media_screen_and_(width<48rem)]:text-left [@media_screen_and_(width<48rem)]:[overflow-wrap:anywhere] [@media_screen_and_(width<48rem)]:before:mr-1 [@media_screen_and_(width<48rem)]:before:font-medium [@media_screen_and_(width<48rem)]:before:text-slate-600 [@media_screen_and_(width<48rem)]:before:content-[attr(data-label)] dark:[@media_screen_and_(width<48rem)]:before:text-slate-300";

export type TColumn<T> = {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** A key column: the row header at md+ (the first primary is `<th scope="row">`), the row's heading line on a phone. */
  primary?: boolean;
  align?: "left" | "right";
  /** Classes for this column's body cells. */
  className?: string;
  /** Classes for this column's header cell. */
  headerClassName?: string;
  /** The phone label ("Label: value"); defaults to the header when that is a string. Empty string: no label. */
  label?: string;
  /** This column's cells are the row headers (`<th scope="row">`); by default the first primary column's are. */
  rowHeader?: boolean;
  /** Not shown on a phone (a sparkline, a duplicate of the heading line). */
  phoneHidden?: boolean;
};

export type TRowProps = Record<string, string | number | boolean | undefined> & { className?: string };

export type TTableProps<T> = {
  caption: string;
  captionHidden?: boolean;
  columns: TColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** Attributes of a row's <tr> (data-*, id, className): kept at every width. */
  rowProps?: (row: T) => TRowProps;
  /** Shown in the table's one row when there are no rows (the caption and test id stay). */
  empty?: ReactNode;
  /** Below the table, inside its box ("the first 50 of 80 are shown"). */
  footer?: ReactNode;
  /** On the <table>. */
  "data-testid"?: string;
  /** The <table>'s id (an anchor). */
  id?: string;
  /** Replaces the visible caption's classes. */
  captionClassName?: string;
  /** Without the card frame (for a table inside a card). */
  bare?: boolean;
  className?: string;
};

const FONT_WEIGHT = /(^|\s)font-(thin|extralight|light|normal|medium|semibold|bold|extrabold|black)(\s|$)/;
const alignClass = (align: "left" | "right" | undefined) => (align === "right" ? "text-right" : "");
const labelOf = <T,>(c: TColumn<T>) => c.label ?? (typeof c.header === "string" ? c.header : "");

export function Table<T>({
  caption,
  captionHidden = false,
  captionClassName,
  columns,
  rows,
  rowKey,
  rowProps,
  empty,
  footer,
  bare = false,
  className,
  id,
  ...rest
}: TTableProps<T>) {
  const rowHeader = (columns.find((c) => c.rowHeader) ?? columns.find((c) => c.primary))?.key;
  return (
    <div className={`${bare ? TABLE_BOX_BARE : TABLE_BOX} ${className ?? ""}`.trim()}>
      <table id={id} className={`${TABLE} ${PHONE_TABLE}`} data-testid={rest["data-testid"]}>
        <caption
          className={
            captionHidden
              ? "sr-only"
              : `${captionClassName ?? "px-3 py-2 text-left text-sm font-medium"} [@media_screen_and_(width<48rem)]:block`
          }
        >
          {caption}
        </caption>
        <thead className={`${THEAD} ${PHONE_THEAD}`}>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={`${TH} ${alignClass(c.align)} ${c.headerClassName ?? ""}`}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={PHONE_TBODY}>
          {rows.length === 0 && empty !== undefined ? (
            <tr className={`${PHONE_TR}`}>
              <td
                colSpan={columns.length}
                className={`${TD} text-slate-600 [@media_screen_and_(width<48rem)]:p-0 dark:text-slate-300`}
              >
                {empty}
              </td>
            </tr>
          ) : null}
          {rows.map((row) => {
            const { className: rowClass, ...attrs } = rowProps?.(row) ?? {};
            return (
              <tr key={rowKey(row)} {...attrs} className={`${TR} ${PHONE_TR} ${rowClass ?? ""}`}>
                {columns.map((c) => {
                  const hidden = c.phoneHidden ? "[@media_screen_and_(width<48rem)]:hidden" : "";
                  const classes = `${TD} ${alignClass(c.align)} ${c.className ?? ""} ${hidden}`;
                  if (c.key === rowHeader) {
                    return (
                      <th
                        key={c.key}
                        scope="row"
                        className={`${classes} ${FONT_WEIGHT.test(c.className ?? "") ? "" : "font-semibold"} ${c.primary ? PHONE_PRIMARY : PHONE_CELL}`}
                        data-label={c.primary || !labelOf(c) ? undefined : `${labelOf(c)}:`}
                      >
                        {c.cell(row)}
                      </th>
                    );
                  }
                  const label = labelOf(c);
                  return (
                    <td
                      key={c.key}
                      data-label={c.primary || !label ? undefined : `${label}:`}
                      className={`${classes} ${c.primary ? PHONE_PRIMARY : PHONE_CELL}`}
                    >
                      {c.cell(row)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {footer}
    </div>
  );
}
