"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";

export type TNavItem = { href: string; label: string; badge?: React.ReactNode };

const LINK =
  "block rounded px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100 hover:text-slate-900 md:px-0 md:py-0 md:hover:bg-transparent dark:text-slate-200 dark:hover:bg-slate-800 dark:hover:text-white md:dark:hover:bg-transparent";

const isCurrent = (path: string, href: string) =>
  href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`);

/**
 * The main navigation: a row of links from 768 px, a menu button below it (the links would otherwise wrap to four
 * rows on a phone). The menu closes when a link is followed. The current page is marked for screen readers too.
 */
export function NavMenu({ items, children }: { items: TNavItem[]; children?: React.ReactNode }) {
  const path = usePathname();
  const [open, setOpen] = useState(false);
  const [openedAt, setOpenedAt] = useState(path);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  // A followed link closes the menu (React's "adjusting state when a prop changes").
  if (open && openedAt !== path) {
    setOpen(false);
    setOpenedAt(path);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      // The focused link is about to be hidden: focus goes back to the button that opened the menu.
      button.current?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);
  return (
    <>
      <button
        ref={button}
        type="button"
        className="ml-auto rounded border border-slate-300 px-3 py-1.5 text-sm font-medium md:hidden dark:border-slate-600"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          setOpen((o) => !o);
          setOpenedAt(path);
        }}
        data-testid="nav-menu-button"
      >
        <span aria-hidden="true">☰ </span>Menu
      </button>
      <div
        id={id}
        className={`${open ? "flex" : "hidden"} w-full flex-col gap-1 border-t border-slate-200 pt-2 md:flex md:w-auto md:flex-1 md:flex-row md:flex-wrap md:items-center md:gap-x-5 md:gap-y-2 md:border-0 md:pt-0 dark:border-slate-800`}
      >
        <ul
          className="flex flex-col gap-0.5 md:flex-row md:flex-wrap md:items-center md:gap-x-5 md:gap-y-2"
          data-testid="nav-links"
        >
          {items.map((item) => {
            const current = isCurrent(path, item.href);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={current ? "page" : undefined}
                  className={`${LINK} ${current ? "font-semibold text-slate-950 dark:text-white" : ""}`}
                >
                  {item.label}
                  {item.badge}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="border-t border-slate-200 pt-2 md:ml-auto md:border-0 md:pt-0 dark:border-slate-800">
          {children}
        </div>
      </div>
    </>
  );
}
