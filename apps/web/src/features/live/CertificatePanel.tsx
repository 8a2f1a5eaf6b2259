import { LineChart } from '../../components/charts/LineChart.tsx';
import { formatNumber } from './formatNumber.ts';
import { type CertificateView, formatGap, isProvenOptimal } from './liveCertificate.ts';

const BOUND_COLOR = '#b3261e';
const BEST_COLOR = '#2457d6';

/**
 * How close the run got: the certified upper bound, the best value it vouches for, the gap and whether the
 * optimum is proven, with the bound falling over time. It never shows a number the server did not compute:
 * without a certificate it says why.
 */
export function CertificatePanel({
  certificate,
  region,
}: {
  certificate: CertificateView | null;
  /** What the bound holds over: the box (and constraints), or the set a search in a prior looked in. */
  region: CertificateRegion | null;
}) {
  return (
    <section className="card stack" aria-labelledby="certificate-heading" data-testid="certificate">
      <h3 id="certificate-heading">Upper bound / gap</h3>
      {region ? (
        <p className="muted small" data-testid="certificate-region">
          {regionTexts[region]}
        </p>
      ) : null}
      <CertificateBody certificate={certificate} region={region} />
    </section>
  );
}

export type CertificateRegion = 'BOX' | 'PRIOR';

export const regionTexts: Record<CertificateRegion, string> = {
  BOX: 'Bound over the box: no input within the box and the constraints scores above it.',
  PRIOR:
    'Bound inside the prior: no input the realistic search could return (its subspace, bounds and ball) scores above it; the box maximum can be far higher.',
};

function CertificateBody({
  certificate: c,
  region,
}: {
  certificate: CertificateView | null;
  region: CertificateRegion | null;
}) {
  if (c === null) return <p className="muted">No certificate: this run was made before runs had one.</p>;
  if (c.status === 'PENDING')
    return (
      <p className="muted" data-testid="certificate-status">
        Certificate pending: it starts when the optimisation ends
        {c.timeLimitSeconds ? ` and takes up to ${c.timeLimitSeconds} s` : ''}.
      </p>
    );
  if (c.upperBound === null)
    return (
      <p className="muted" data-testid="certificate-status">
        No certificate: {c.reason ?? 'no reason given'}
      </p>
    );
  return (
    <>
      {isProvenOptimal(c) ? (
        <p className="notice" data-testid="certificate-proven">
          Proven optimal: no input {region === 'PRIOR' ? 'of the set searched' : 'within the constraints'}{' '}
          scores above the best value found
          {c.gap ? ' (the gap left is the allowance for float32 round-off)' : ''}.
        </p>
      ) : null}
      {c.status === 'STOPPED' ? (
        <p className="muted" data-testid="certificate-status">
          Stopped early ({c.reason ?? 'no reason given'}); the bound reached so far still holds.
        </p>
      ) : null}
      <dl className="stats">
        <div>
          <dt>Certified upper bound</dt>
          <dd data-testid="certificate-bound">{formatNumber(c.upperBound, 6)}</dd>
        </div>
        <div>
          <dt>Best value (certified)</dt>
          <dd>{formatNumber(c.bestValue, 6)}</dd>
        </div>
        <div>
          <dt title="(upper bound − best value) / |upper bound|">Gap</dt>
          <dd data-testid="certificate-gap">{formatGap(c.gap)}</dd>
        </div>
        <div>
          <dt>Bound by</dt>
          <dd>{c.method ?? '—'}</dd>
        </div>
        <div>
          <dt>{c.status === 'RUNNING' ? 'Certifying for' : 'Took'}</dt>
          <dd>{c.seconds === null ? '—' : `${c.seconds.toFixed(1)} s`}</dd>
        </div>
      </dl>
      {c.history.length > 1 ? (
        <LineChart
          label="Certified upper bound and best value over time"
          xLabel="seconds"
          height={160}
          series={[
            {
              name: 'upper bound',
              color: BOUND_COLOR,
              dashed: true,
              points: steps(c.history.map((p) => ({ x: p.seconds, y: p.upperBound }))),
            },
            {
              name: 'best value',
              color: BEST_COLOR,
              points: steps(
                c.history.flatMap((p) => (p.bestValue === null ? [] : [{ x: p.seconds, y: p.bestValue }])),
              ),
            },
          ]}
        />
      ) : null}
    </>
  );
}

/** Drawn as steps: a bound holds until the next one replaces it. */
function steps(points: { x: number; y: number }[]): { x: number; y: number }[] {
  return points.flatMap((p, i) => (i === 0 ? [p] : [{ x: p.x, y: points[i - 1]!.y }, p]));
}
