'use client';

import { useState } from 'react';
import { ImageFigure } from '../../components/common/ImageFigure.tsx';
import { formatNumber } from './formatNumber.ts';
import type { LiveRunFields } from './runTypes.ts';

type FrontierPoint = NonNullable<NonNullable<LiveRunFields['realism']>['frontier']>[number];

const W = 420;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 32 };

/**
 * The price of realism: the objective against the nearest-training percentile along the answer's ray,
 * from the class mean (t 0) through the answer (t 1, ringed) to the edge of the largest set the search
 * may search. Filled points meet every realism criterion; hovering or clicking a point shows its image.
 */
export function FrontierChart({ points }: { points: readonly FrontierPoint[] }) {
  const answerIndex = points.findIndex((p) => p.t === 1);
  const [selected, setSelected] = useState(Math.max(0, answerIndex));
  if (points.length === 0) return null;
  const values = points.map((p) => p.value);
  const [y0, y1] = extent(values);
  const sx = (x: number) => PAD.left + (x / 100) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const shown = points[selected] ?? points[0]!;
  return (
    <section className="card stack" aria-label="Price of realism" data-testid="frontier">
      <h3>Price of realism</h3>
      <p className="small muted">
        The answer's ray from the class mean (t = 0) through the answer (t = 1, ringed) to the edge of the
        largest set the search may search: objective against how far the nearest training image is (percentile
        among real images'). Filled points meet every realism criterion.
      </p>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <svg
          className="chart"
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label="Objective against realism percentile"
          style={{ maxWidth: W }}
        >
          <title>Objective against realism percentile</title>
          <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} stroke="#c9ced6" />
          <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} stroke="#c9ced6" />
          <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" fontSize="11" fill="#5b6572">
            {formatNumber(y1)}
          </text>
          <text x={PAD.left - 6} y={H - PAD.bottom} textAnchor="end" fontSize="11" fill="#5b6572">
            {formatNumber(y0)}
          </text>
          <text x={PAD.left} y={H - 10} fontSize="11" fill="#5b6572">
            0
          </text>
          <text x={W - PAD.right} y={H - 10} textAnchor="end" fontSize="11" fill="#5b6572">
            100
          </text>
          <text x={(W + PAD.left) / 2} y={H - 10} textAnchor="middle" fontSize="11" fill="#5b6572">
            nearest-training percentile
          </text>
          <polyline
            fill="none"
            stroke="#9aa5b4"
            strokeWidth={1}
            points={points
              .map((p) => `${sx(p.nearestPercentile).toFixed(1)},${sy(p.value).toFixed(1)}`)
              .join(' ')}
          />
          {points.map((p, i) => (
            // biome-ignore lint/a11y/useSemanticElements: an SVG point cannot be a <button>
            <circle
              key={p.t}
              role="button"
              tabIndex={0}
              data-testid="frontier-point"
              data-answer={i === answerIndex ? 'true' : undefined}
              cx={sx(p.nearestPercentile)}
              cy={sy(p.value)}
              r={i === answerIndex ? 7 : 5}
              fill={p.realistic ? '#2457d6' : '#ffffff'}
              stroke={i === answerIndex ? '#b3261e' : '#2457d6'}
              strokeWidth={i === answerIndex ? 3 : 1.5}
              onMouseEnter={() => setSelected(i)}
              onFocus={() => setSelected(i)}
              onClick={() => setSelected(i)}
              style={{ cursor: 'pointer' }}
            >
              <title>{`t = ${p.t.toFixed(2)}: ${formatNumber(p.value)}, percentile ${p.nearestPercentile.toFixed(0)}`}</title>
            </circle>
          ))}
        </svg>
        <ImageFigure src={shown.image} alt={`The point at t = ${shown.t}`} testId="frontier-selected">
          t = {shown.t.toFixed(2)}
          {shown.t === 1 ? ' (the answer)' : ''}: {formatNumber(shown.value)}
          <br />
          nearest percentile {shown.nearestPercentile.toFixed(0)}, manifold{' '}
          {shown.manifoldPercentile.toFixed(0)}
          <br />
          {shown.realistic ? 'realistic' : 'not realistic'}
        </ImageFigure>
      </div>
    </section>
  );
}

function extent(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}
