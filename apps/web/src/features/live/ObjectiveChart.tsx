import { LineChart } from '../../components/charts/LineChart.tsx';
import type { CurvePoint } from './liveRunState.ts';

/** The objective per step; the certified upper bound, once a run has one, as a dashed line above it. */
export function ObjectiveChart({
  curve,
  upperBound,
}: {
  curve: readonly CurvePoint[];
  upperBound: number | null;
}) {
  const points = curve.map((p) => ({ x: p.step, y: p.objective }));
  const first = points[0]?.x ?? 0;
  const last = points.at(-1)?.x ?? 0;
  return (
    <LineChart
      label="Objective per step"
      xLabel="step"
      series={[
        { name: 'objective', points, color: '#2457d6' },
        ...(upperBound !== null
          ? [
              {
                name: 'certified upper bound',
                points: [
                  { x: first, y: upperBound },
                  { x: last, y: upperBound },
                ],
                color: '#b3261e',
                dashed: true,
              },
            ]
          : []),
      ]}
    />
  );
}
