'use client';

import { useCallback } from 'react';
import { useQuery } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { Loading } from '../../components/common/Loading.tsx';
import { LiveRunView } from '../live/LiveRunView.tsx';
import { SharedRunQuery } from '../live/runQueries.ts';

/** `/share/[token]`: a run opened read-only through a share link; no account needed. */
export function SharedRunPage({ token }: { token: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: SharedRunQuery, variables: { token } });
  const onFinished = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  if (fetching && !data) return <Loading what="the shared run" />;
  if (error) return <ErrorMessage error={error} />;
  if (!data?.sharedRun) return null;
  return (
    <div className="stack">
      <p className="notice small">Shared run: read-only.</p>
      <LiveRunView
        run={data.sharedRun}
        source={{ kind: 'share', runId: data.sharedRun.id, token }}
        canWrite={false}
        onFinished={onFinished}
      />
    </div>
  );
}
