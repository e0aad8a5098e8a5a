import Link from "next/link";

export default function ComponentNotFound() {
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-bold">No such component</h1>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        The configuration has no component with this id.{" "}
        <Link href="/" className="underline">
          Back to the overview
        </Link>
        .
      </p>
    </div>
  );
}
