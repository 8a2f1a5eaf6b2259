import { formatNumber } from './formatNumber.ts';

/**
 * Where the certified upper bound and the gap to it go (exact/certified-bound issue). Until a run carries
 * a certificate this says so; it never shows a number the server did not compute.
 */
export function CertificatePanel({ certificate, value }: { certificate: unknown; value: number | null }) {
  const c =
    certificate !== null && typeof certificate === 'object' ? (certificate as Record<string, unknown>) : null;
  const upper = typeof c?.upperBound === 'number' ? c.upperBound : null;
  const gap = typeof c?.gap === 'number' ? c.gap : upper !== null && value !== null ? upper - value : null;
  return (
    <section className="card stack" aria-labelledby="certificate-heading" data-testid="certificate">
      <h3 id="certificate-heading">Upper bound / gap</h3>
      {c === null ? (
        <p className="muted">
          No certificate yet: this run has no proven upper bound, so how far the best value is from the true
          maximum is unknown.
        </p>
      ) : (
        <dl className="stats">
          <div>
            <dt>Certified upper bound</dt>
            <dd>{formatNumber(upper)}</dd>
          </div>
          <div>
            <dt>Gap (bound − best)</dt>
            <dd>{formatNumber(gap)}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
