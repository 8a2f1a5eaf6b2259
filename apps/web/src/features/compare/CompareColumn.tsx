'use client';

import Link from 'next/link';
import { useQuery } from 'urql';
import { LineChart } from '../../components/charts/LineChart.tsx';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { Loading } from '../../components/common/Loading.tsx';
import { formatNumber } from '../live/formatNumber.ts';
import { LiveImage } from '../live/LiveImage.tsx';
import { describeCertificate } from '../live/liveCertificate.ts';
import { ProbabilityBars } from '../live/ProbabilityBars.tsx';
import { RunCurveQuery, RunQuery } from '../live/runQueries.ts';
import { constraintTexts, objectiveText, runSizeText, targetClass } from '../live/runSpecText.ts';
import { StatusBadge } from '../live/StatusBadge.tsx';

/** One run of a comparison: best image, curve, outputs and the numbers that matter. */
export function CompareColumn({ runId, color }: { runId: string; color: string }) {
  const [{ data, fetching, error }] = useQuery({ query: RunQuery, variables: { id: runId } });
  // Thin long runs to about 500 points: the curve's shape is what gets compared.
  const every = Math.max(1, Math.ceil((data?.run.stepCount ?? 0) / 500));
  const [curve] = useQuery({ query: RunCurveQuery, variables: { id: runId, every }, pause: !data });
  if (fetching && !data) return <Loading what={`run ${runId}`} />;
  if (error || !data)
    return (
      <div className="card">
        <ErrorMessage error={error} />
      </div>
    );
  const run = data.run;
  const { spec } = run;
  const constraints = constraintTexts(spec);
  return (
    <section className="card stack" data-testid="compare-column">
      <h2 style={{ color }}>
        <Link href={`/runs/${run.id}`}>{objectiveText(spec, run.model.classNames)}</Link>
      </h2>
      <p className="muted small">
        {run.model.name} · {spec.method} · {runSizeText(spec, run.budget)}
        {constraints.length > 0 ? ` · ${constraints.join(', ')}` : ''}
      </p>
      <LiveImage image={run.bestImage} step={null} label="Best input" testId="compare-image" />
      <dl className="stats">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={run.status} />
          </dd>
        </div>
        <div>
          <dt>Best value</dt>
          <dd>{formatNumber(run.value)}</dd>
        </div>
        <div>
          <dt>Violation</dt>
          <dd>{formatNumber(run.violation)}</dd>
        </div>
        <div>
          <dt>Certified upper bound</dt>
          <dd>{formatNumber(run.certificate?.upperBound, 6)}</dd>
        </div>
        <div>
          <dt title="(upper bound − best value) / |upper bound|">Gap</dt>
          <dd data-testid="compare-gap">{describeCertificate(run.certificate)}</dd>
        </div>
      </dl>
      <LineChart
        label={`Objective of run ${run.id}`}
        xLabel="step"
        height={160}
        series={[
          {
            name: 'objective',
            color,
            points: (curve.data?.run.steps ?? []).map((s) => ({ x: s.step, y: s.objective })),
          },
        ]}
      />
      <ProbabilityBars
        outputs={run.outputs}
        classNames={run.model.classNames}
        targetIndex={targetClass(spec)}
      />
    </section>
  );
}
