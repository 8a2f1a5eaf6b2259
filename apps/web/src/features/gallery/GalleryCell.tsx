'use client';

import Link from 'next/link';
import { StatusBadge } from '../live/StatusBadge.tsx';
import { useLiveRun } from '../live/useLiveRun.ts';

/** One class of the gallery: its run's latest frame, filling in live. */
export function GalleryCell({ runId, label }: { runId: string; label: string }) {
  const { live, error } = useLiveRun({ kind: 'member', runId });
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
        {error ? <span className="field-error">{error.message}</span> : null}
      </figcaption>
    </figure>
  );
}
