"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal dialog on the native `<dialog>` element: `showModal()` makes the rest of the page inert (focus stays
 * inside, as the browser keeps it), Escape closes it, it is named by its heading, and focus goes back to where it
 * was when it opened. Controlled: `open` shows it, `onClose` is called however it closes (Escape, a click on the
 * backdrop, or an action that calls it). An element inside marked `data-autofocus` takes the focus on opening.
 */
export function Dialog({
  open,
  onClose,
  title,
  children,
  actions,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onClose={() => {
        const back = returnTo.current;
        returnTo.current = null;
        if (back?.isConnected && document.activeElement !== back) back.focus();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog itself (the content fills it with its own box).
        if (event.target === event.currentTarget) event.currentTarget.close();
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg border border-slate-300 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-950/60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <div className="space-y-3 p-5">
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        <div id={bodyId} className="space-y-2 text-sm">
          {children}
        </div>
        {actions ? <div className="flex flex-wrap justify-end gap-2 pt-2">{actions}</div> : null}
      </div>
    </dialog>
  );
}
