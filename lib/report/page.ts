// The page the report prints on: A4 portrait and its margins, shared by the print stylesheet's @page rule
// (html.ts), the PDF renderer's page.pdf() call and footer (pdf.ts), and the layout test that measures the PDF.

export const PAGE_MARGIN_MM = { top: 14, right: 12, bottom: 16, left: 12 } as const;

/** Points per millimetre (PDF user space is 1/72 inch). */
export const PT_PER_MM = 72 / 25.4;

/** The @page margin shorthand: top, right, bottom, left. */
export const PAGE_MARGIN_CSS = `${PAGE_MARGIN_MM.top}mm ${PAGE_MARGIN_MM.right}mm ${PAGE_MARGIN_MM.bottom}mm ${PAGE_MARGIN_MM.left}mm`;
