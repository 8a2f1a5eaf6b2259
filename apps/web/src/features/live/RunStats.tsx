import { formatNumber } from './formatNumber.ts';
import { StatusBadge } from './StatusBadge.tsx';

interface Props {
  status: string | null;
  step: number | null;
  steps: number | null;
  objective: number | null;
  bestValue: number | null;
  violation: number | null;
  stepsPerSecond: number | null;
  /** The certificate proved the best value the optimum: said beside it, not only in the certificate panel. */
  proven: boolean;
}

export function RunStats({
  status,
  step,
  steps,
  objective,
  bestValue,
  violation,
  stepsPerSecond,
  proven,
}: Props) {
  const done = step === null ? 0 : step + 1;
  return (
    <dl className="stats">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={status} />
        </dd>
      </div>
      <div>
        <dt>Step</dt>
        <dd data-testid="run-step">
          {step === null ? '—' : done}
          {steps ? ` / ${steps}` : ''}
        </dd>
      </div>
      <div>
        <dt>Objective (current)</dt>
        <dd>{formatNumber(objective)}</dd>
      </div>
      <div>
        <dt>Best value</dt>
        <dd data-testid="best-value">
          {formatNumber(bestValue)}
          {proven ? (
            <>
              {' '}
              <span className="badge" data-status="SUCCEEDED" data-testid="best-value-proven">
                proven optimal
              </span>
            </>
          ) : null}
        </dd>
      </div>
      <div>
        <dt>Constraint violation</dt>
        <dd title="Largest amount by which the input breaks its constraints; 0 means feasible">
          {formatNumber(violation)}
        </dd>
      </div>
      <div>
        <dt>Steps/s</dt>
        <dd>{stepsPerSecond === null ? '—' : stepsPerSecond.toFixed(1)}</dd>
      </div>
      {steps ? (
        <div style={{ gridColumn: '1 / -1' }}>
          <dt>Progress</dt>
          <dd>
            <progress className="progress" max={steps} value={done} aria-label="Steps done" />
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
