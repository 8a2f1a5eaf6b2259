import { ImageFigure } from '../../components/common/ImageFigure.tsx';
import { formatNumber } from './formatNumber.ts';
import type { LiveRunFields } from './runTypes.ts';

type Realism = NonNullable<LiveRunFields['realism']>;

interface Props {
  realism: Realism;
  /** The run's best input (PNG data URL). */
  answer: string | null;
  classNames: readonly string[] | null;
}

const percentile = (p: number) => `percentile ${p.toFixed(0)}`;
const className = (names: readonly string[] | null, k: number | null) =>
  k === null ? '—' : names?.[k] ? `${names[k]} (${k})` : String(k);

/**
 * How realistic the answer is: its nearest training image beside it, where that distance and the distance
 * off the data's manifold fall among real held-out images', and what independent judges call it.
 */
export function RealismPanel({ realism, answer, classNames }: Props) {
  const { nearest, manifold, criteria } = realism;
  const check = (ok: boolean) => (ok ? '✓' : '✗');
  return (
    <section className="card stack" aria-label="Realism" data-testid="realism-panel">
      <h3>
        Realism: {realism.realistic ? 'looks like real data' : 'not like real data'}{' '}
        <span className="muted small" data-testid="realism-verdict">
          ({realism.realistic ? 'all criteria met' : 'criteria not all met'})
        </span>
      </h3>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <ImageFigure src={answer} alt="The run's answer">
          The answer
        </ImageFigure>
        <ImageFigure src={nearest.image} alt="Nearest training example" imageTestId="realism-nearest-image">
          Nearest training image #{nearest.index}: {className(classNames, nearest.label)}
        </ImageFigure>
        <dl className="stats">
          <div>
            <dt>Distance to it (L2)</dt>
            <dd data-testid="realism-distance">
              {formatNumber(nearest.distance)} · {percentile(nearest.percentile)} {check(criteria.nearest)}
            </dd>
          </div>
          <div>
            <dt>Real images' range</dt>
            <dd title="5th–99th percentile of held-out real images' own nearest distances">
              {formatNumber(criteria.nearestLow)}–{formatNumber(criteria.nearestHigh)}
            </dd>
          </div>
          <div>
            <dt>Off the manifold</dt>
            <dd data-testid="realism-manifold">
              {formatNumber(manifold.distance)} · {percentile(manifold.percentile)} {check(criteria.manifold)}
            </dd>
          </div>
          <div>
            <dt>Judges agreeing</dt>
            <dd>
              {realism.judgesAgreeing ?? '—'} / {realism.judges.length} {check(criteria.judges)}
            </dd>
          </div>
        </dl>
      </div>
      <ul className="small" data-testid="realism-judges">
        {realism.judges.map((j) => (
          <li key={j.name}>
            {j.name}: {className(classNames, j.label)} ({(j.probability * 100).toFixed(0)}%)
          </li>
        ))}
      </ul>
    </section>
  );
}
