import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="mx-auto max-w-md space-y-3 py-8">
      <h1 className="text-2xl font-bold tracking-tight">Not permitted</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Your role does not allow this page. An administrator can change your role.
      </p>
      <Link href="/" className="text-sm underline">
        Back to the overview
      </Link>
    </div>
  );
}
