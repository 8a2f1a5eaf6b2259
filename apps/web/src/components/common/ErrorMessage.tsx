import Link from 'next/link';
import type { CombinedError } from 'urql';
import { type ApiProblem, problemsOf } from '../../api/apiProblems.ts';

/** Renders API errors (urql's `result.error`) or already-split problems as an alert; nothing when none. */
export function ErrorMessage({
  error,
  problems,
}: {
  error?: CombinedError | undefined;
  problems?: ApiProblem[];
}) {
  const list = problems ?? problemsOf(error);
  if (list.length === 0) return null;
  return (
    <div className="error" role="alert">
      {list.map((p, i) => (
        // Messages can repeat; their order is stable for one error.
        // biome-ignore lint/suspicious/noArrayIndexKey: a static list rendered once per error
        <p key={i}>
          {p.message}
          {p.code === 'UNAUTHENTICATED' ? (
            <>
              {' '}
              <Link href="/signin">Sign in</Link>
            </>
          ) : null}
        </p>
      ))}
    </div>
  );
}
