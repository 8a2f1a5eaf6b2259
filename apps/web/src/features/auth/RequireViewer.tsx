'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { useQuery } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { Loading } from '../../components/common/Loading.tsx';
import { ViewerQuery } from './viewerQuery.ts';

/** Renders its children only for a signed-in user; others get a sign-in link back to this page. */
export function RequireViewer({ children }: { children: ReactNode }) {
  const [{ data, fetching, error }] = useQuery({ query: ViewerQuery });
  const path = usePathname();
  if (fetching && !data) return <Loading what="your account" />;
  if (error) return <ErrorMessage error={error} />;
  if (!data?.me)
    return (
      <div className="card narrow">
        <p>You are signed out.</p>
        <p>
          <Link href={`/signin?next=${encodeURIComponent(path)}`}>Sign in</Link> or{' '}
          <Link href="/signup">create an account</Link> to continue.
        </p>
      </div>
    );
  return <>{children}</>;
}
