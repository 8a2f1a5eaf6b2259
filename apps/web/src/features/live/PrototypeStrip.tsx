import { formatNumber } from './formatNumber.ts';
import type { LiveRunFields } from './runTypes.ts';

interface Props {
  prototypes: NonNullable<LiveRunFields['prototypes']>;
}

/** A diverse run's distinct realistic prototypes of the class, strongest first, each with its value and realism. */
export function PrototypeStrip({ prototypes }: Props) {
  return (
    <section className="card stack" aria-label="Diverse prototypes" data-testid="prototype-strip">
      <h3>Diverse prototypes ({prototypes.length})</h3>
      {prototypes.length === 0 ? (
        <p className="muted small">No start ended realistic.</p>
      ) : (
        <div className="prototype-strip">
          {prototypes.map((p, i) => (
            <figure key={p.image ?? p.value} data-testid="prototype">
              {p.image ? (
                // biome-ignore lint/performance/noImgElement: a data-URL PNG
                <img className="pixelated" src={p.image} alt={`Prototype ${i + 1}`} width={84} height={84} />
              ) : null}
              <figcaption className="small">
                <span data-testid="prototype-value">{formatNumber(p.value)}</span>
                <br />
                <span className="muted" title="Nearest-training and manifold percentiles among real images">
                  {p.realistic ? '✓ realistic' : '✗ not realistic'} · pct {p.nearestPercentile.toFixed(0)} /{' '}
                  {p.manifoldPercentile.toFixed(0)}
                </span>
              </figcaption>
            </figure>
          ))}
        </div>
      )}
    </section>
  );
}
