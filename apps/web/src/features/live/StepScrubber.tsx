'use client';

import { useState } from 'react';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { LiveImage } from './LiveImage.tsx';
import type { RunSource } from './runSource.ts';
import { useRunSnapshot } from './useRunSnapshot.ts';

/** After a run: slide through the stored snapshots (every step early on, then log-spaced). */
export function StepScrubber({ source, steps }: { source: RunSource; steps: readonly number[] }) {
  const [index, setIndex] = useState(steps.length - 1);
  const step = steps[Math.min(index, steps.length - 1)] ?? null;
  const { image, error } = useRunSnapshot(source, step);
  if (steps.length === 0) return <p className="muted">This run stored no snapshots.</p>;
  return (
    <div className="stack">
      <label>
        Step {step} <span className="muted small">({steps.length} snapshots)</span>
        <input
          type="range"
          min={0}
          max={steps.length - 1}
          value={index}
          onChange={(e) => setIndex(Number(e.target.value))}
          aria-valuetext={`step ${step}`}
          data-testid="step-scrubber"
        />
      </label>
      <div style={{ maxWidth: 224 }}>
        <LiveImage image={image} step={step} label="Snapshot" testId="snapshot-image" />
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}
