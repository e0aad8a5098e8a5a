"use client";

import { useActionState } from "react";
import { signIn, type TLoginState } from "./actions";

const input =
  "block w-full rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950";

/** `unavailable`: the database is down, so no one can sign in; the form shows, disabled, under the page's notice. */
export function LoginForm({ next, unavailable = false }: { next: string; unavailable?: boolean }) {
  const [state, action, pending] = useActionState<TLoginState, FormData>(signIn, { error: null, email: "" });
  return (
    <form action={action} className="space-y-4" aria-describedby={state.error ? "login-error" : undefined}>
      <fieldset disabled={unavailable} className="space-y-4">
        <input type="hidden" name="next" value={next} />
        <div className="space-y-1">
          <label htmlFor="email" className="block text-sm font-medium">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={state.email}
            className={input}
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="password" className="block text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className={input}
          />
        </div>
        {state.error ? (
          <p
            id="login-error"
            role="alert"
            className="rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100"
          >
            {state.error}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60 dark:bg-white dark:text-slate-900"
        >
          {pending ? "Signing in…" : unavailable ? "Sign-in unavailable" : "Sign in"}
        </button>
      </fieldset>
    </form>
  );
}
