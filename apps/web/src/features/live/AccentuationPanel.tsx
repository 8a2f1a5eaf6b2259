import { ImageFigure } from '../../components/common/ImageFigure.tsx';
import { formatNumber } from './formatNumber.ts';
import type { LiveRunFields } from './runTypes.ts';

interface Props {
  accentuation: NonNullable<LiveRunFields['accentuation']>;
  /** The run's best input (PNG data URL). */
  answer: string | null;
  value: number | null;
}

/**
 * An accentuated run: the real image it started from beside the answer it reached near it, with the
 * objective at each (the answer is never below the anchor's projection, the search's centre).
 */
export function AccentuationPanel({ accentuation, answer, value }: Props) {
  const a = accentuation;
  return (
    <section className="card stack" aria-label="Accentuation" data-testid="accentuation-panel">
      <h3>Accentuation: from a real image</h3>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <ImageFigure
          src={a.anchorImage}
          alt="The anchor the search started from"
          imageTestId="accentuation-anchor-image"
          captionTestId="accentuation-anchor-caption"
        >
          Anchor: {a.anchorIndex === null ? 'your reference image' : `training image #${a.anchorIndex}`}
        </ImageFigure>
        <ImageFigure src={answer} alt="The accentuated answer">
          The answer near it
        </ImageFigure>
        <dl className="stats">
          <div>
            <dt>Objective at the anchor</dt>
            <dd data-testid="accentuation-anchor-value">{formatNumber(a.anchorValue)}</dd>
          </div>
          <div>
            <dt>At its projection</dt>
            <dd title="The anchor projected onto the class subspace: the search's centre">
              {formatNumber(a.centreValue)}
            </dd>
          </div>
          <div>
            <dt>At the answer</dt>
            <dd>{value === null ? '—' : formatNumber(value)}</dd>
          </div>
        </dl>
      </div>
      {a.improved ? null : (
        <p className="muted small">Nothing near the anchor scored higher than its projection, the answer.</p>
      )}
    </section>
  );
}
