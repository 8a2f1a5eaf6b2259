export interface ChartSeries {
  name: string;
  points: readonly { x: number; y: number }[];
  color: string;
  dashed?: boolean;
}

interface Props {
  series: readonly ChartSeries[];
  label: string;
  xLabel: string;
  height?: number;
}

const W = 600;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

/** A dependency-free SVG line chart: enough for objective curves and training metrics. */
export function LineChart({ series, label, xLabel, height = 220 }: Props) {
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (all.length === 0)
    return (
      <div className="chart placeholder" style={{ height }} role="img" aria-label={`${label}: no data yet`}>
        No data yet
      </div>
    );
  const [x0, x1] = extent(all.map((p) => p.x));
  const [y0, y1] = extent(all.map((p) => p.y));
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const sy = (y: number) =>
    height - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (height - PAD.top - PAD.bottom);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${height}`} role="img" aria-label={label}>
      <title>{label}</title>
      <line
        x1={PAD.left}
        y1={height - PAD.bottom}
        x2={W - PAD.right}
        y2={height - PAD.bottom}
        stroke="#c9ced6"
      />
      <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={height - PAD.bottom} stroke="#c9ced6" />
      <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" fontSize="11" fill="#5b6572">
        {formatTick(y1)}
      </text>
      <text x={PAD.left - 6} y={height - PAD.bottom} textAnchor="end" fontSize="11" fill="#5b6572">
        {formatTick(y0)}
      </text>
      <text x={PAD.left} y={height - 8} fontSize="11" fill="#5b6572">
        {formatTick(x0)}
      </text>
      <text x={W - PAD.right} y={height - 8} textAnchor="end" fontSize="11" fill="#5b6572">
        {formatTick(x1)}
      </text>
      <text x={(W + PAD.left) / 2} y={height - 8} textAnchor="middle" fontSize="11" fill="#5b6572">
        {xLabel}
      </text>
      {series.map((s) => (
        <polyline
          key={s.name}
          fill="none"
          stroke={s.color}
          strokeWidth={2}
          strokeDasharray={s.dashed ? '6 4' : undefined}
          vectorEffect="non-scaling-stroke"
          points={s.points
            .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
            .map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
            .join(' ')}
        >
          <title>{s.name}</title>
        </polyline>
      ))}
      {series.length > 1
        ? series.map((s, i) => (
            <text
              key={s.name}
              x={W - PAD.right}
              y={PAD.top + 4 + i * 14}
              textAnchor="end"
              fontSize="11"
              fill={s.color}
            >
              {s.name}
            </text>
          ))
        : null}
    </svg>
  );
}

function extent(values: number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(1);
  return Number.isInteger(v) ? String(v) : v.toFixed(a < 1 ? 3 : 2);
}
