'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { useQuery } from 'urql';
import { formatNumber } from '../live/formatNumber.ts';
import { isFinalStatus } from '../live/liveRunState.ts';
import { StatusBadge } from '../live/StatusBadge.tsx';
import { useLiveRun } from '../live/useLiveRun.ts';
import { GalleryRunQuery } from './galleryRunQuery.ts';

interface Props {
  runId: string;
  /** The same class's run of the other kind (realistic or unconstrained), when the gallery has one. */
  otherRunId: string | null;
  label: string;
}

/** One class of the gallery: its run's latest frame, filling in live; then its value beside the other kind's. */
export function GalleryCell({ runId, otherRunId, label }: Props) {
  const { live, error } = useLiveRun({ kind: 'member', runId });
  const finished = isFinalStatus(live.status);
  const [own, refetch] = useQuery({ query: GalleryRunQuery, variables: { id: runId }, pause: !finished });
  const [other] = useQuery({
    query: GalleryRunQuery,
    variables: { id: otherRunId ?? '' },
    pause: !otherRunId,
  });
  // The cell's query may have run before the run ended (a reload): ask again once it has.
  useEffect(() => {
    if (finished) refetch({ requestPolicy: 'network-only' });
  }, [finished, refetch]);
  const runs = [own.data?.run, other.data?.run].filter((r) => r != null);
  return (
    <figure
      className="gallery-cell"
      data-testid="gallery-cell"
      data-status={live.status ?? ''}
      style={{ margin: 0 }}
    >
      <Link href={`/runs/${runId}`} aria-label={`Run for ${label}`}>
        {live.image ? (
          // biome-ignore lint/performance/noImgElement: live data-URL frames
          <img className="pixelated" src={live.image} alt={`${label}, step ${live.imageStep}`} />
        ) : (
          <div className="placeholder">{live.status === 'QUEUED' ? 'queued' : 'waiting…'}</div>
        )}
      </Link>
      <figcaption className="stack" style={{ gap: '0.15rem', alignItems: 'center' }}>
        <strong>{label}</strong>
        <StatusBadge status={live.status} />
        {runs.map((run) => (
          <span
            key={run.id}
            className="small muted"
            data-testid={run.spec.prior === 'NONE' ? 'gallery-box-value' : 'gallery-realistic-value'}
          >
            {run.spec.prior === 'NONE' ? 'box max' : 'realistic'} {formatNumber(run.value)}
            {run.certificate?.upperBound != null ? (
              <span data-testid={`gallery-${run.certificate.region.toLowerCase()}-bound`}>
                {` ≤ ${formatNumber(run.certificate.upperBound)} (${run.certificate.region === 'PRIOR' ? 'prior' : 'box'} bound)`}
              </span>
            ) : null}
            {run.realism ? (run.realism.realistic ? ' ✓' : ' ✗') : ''}
          </span>
        ))}
        {error ? <span className="field-error">{error.message}</span> : null}
      </figcaption>
    </figure>
  );
}
