'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { CompareColumn } from './CompareColumn.tsx';

const COLORS = ['#2457d6', '#c2410c', '#15803d', '#7e22ce'];

/** `/t/[teamId]/compare?ids=a,b,…`: 2–4 runs side by side. */
export function ComparePage({ teamId }: { teamId: string }) {
  const ids = [...new Set((useSearchParams().get('ids') ?? '').split(',').filter(Boolean))];
  if (ids.length < 2 || ids.length > 4)
    return (
      <div className="stack">
        <h1>Compare runs</h1>
        <p className="notice">
          {ids.length > 4 ? 'Compare at most 4 runs at once. ' : ''}
          Pick 2–4 runs with the checkboxes on the <Link href={`/t/${teamId}/runs`}>runs page</Link>, then
          choose “Compare”.
        </p>
      </div>
    );
  return (
    <div className="stack">
      <h1>Compare {ids.length} runs</h1>
      <div className="compare-grid">
        {ids.map((id, i) => (
          <CompareColumn key={id} runId={id} color={COLORS[i] ?? '#333'} />
        ))}
      </div>
    </div>
  );
}
