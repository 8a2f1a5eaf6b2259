'use client';

import { useEffect, useRef, useState } from 'react';
import { useMutation, useSubscription } from 'urql';
import { type ChartSeries, LineChart } from '../../components/charts/LineChart.tsx';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { isFinalStatus } from '../live/liveRunState.ts';
import { StatusBadge } from '../live/StatusBadge.tsx';
import {
  applyTrainingEvent,
  emptyTraining,
  etaSeconds,
  type TrainingProgressState,
} from './trainingProgress.ts';
import { CancelTrainingMutation, TrainingEventsSubscription } from './trainingQueries.ts';

interface Props {
  jobId: string;
  name: string;
  canCancel: boolean;
  /** Called once when the job ends (to refresh the models list). */
  onFinished: () => void;
}

/** One chart's lines: the running figure batch by batch, and the train and test figures of each epoch. */
function metricSeries(state: TrainingProgressState, metric: 'loss' | 'accuracy'): ChartSeries[] {
  const test = metric === 'loss' ? 'testLoss' : 'testAccuracy';
  return [
    {
      name: 'train (running)',
      color: '#8aa3e0',
      points: state.batchPoints.map((p) => ({ x: p.x, y: p[metric] })),
    },
    { name: 'train', color: '#2457d6', points: state.epochPoints.map((e) => ({ x: e.epoch, y: e[metric] })) },
    {
      name: 'test',
      color: '#c2410c',
      points: state.epochPoints.flatMap((e) => {
        const y = e[test];
        return y === null ? [] : [{ x: e.epoch, y }];
      }),
    },
  ];
}

/** Live epochs of a training job: progress bar, ETA, loss and accuracy charts. */
export function TrainingProgress({ jobId, name, canCancel, onFinished }: Props) {
  const [result] = useSubscription(
    { query: TrainingEventsSubscription, variables: { jobId } },
    (previous: TrainingProgressState | undefined, data) =>
      applyTrainingEvent(previous ?? emptyTraining, data.trainingEvents),
  );
  const [cancelling, cancel] = useMutation(CancelTrainingMutation);
  const state = result.data ?? emptyTraining;
  const startedAt = useRef<number | null>(null);
  const [now, setNow] = useState(() => performance.now());
  const finished = isFinalStatus(state.status);

  useEffect(() => {
    if (state.status === 'RUNNING' && startedAt.current === null) startedAt.current = performance.now();
    if (finished) onFinished();
  }, [state.status, finished, onFinished]);
  useEffect(() => {
    if (finished) return;
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, [finished]);

  const elapsed = startedAt.current === null ? 0 : (now - startedAt.current) / 1000;
  const eta = etaSeconds(state.fraction, elapsed);
  return (
    <section className="card stack" data-testid="training-progress">
      <div className="row">
        <h3>Training {name}</h3>
        <StatusBadge status={state.status} />
        {canCancel && !finished ? (
          <button
            type="button"
            className="danger"
            disabled={cancelling.fetching}
            onClick={() => cancel({ id: jobId })}
          >
            Cancel
          </button>
        ) : null}
      </div>
      <progress className="progress" max={1} value={state.fraction} aria-label="Training progress" />
      <p className="muted small">
        {Math.round(state.fraction * 100)}%{state.epochs ? ` of ${state.epochs} epochs` : ''}
        {eta !== null && !finished ? ` · about ${Math.ceil(eta)} s left` : ''}
        {state.examplesPerSecond ? ` · ${Math.round(state.examplesPerSecond)} examples/s` : ''}
        {state.final
          ? ` · done in ${state.final.seconds.toFixed(1)} s, accuracy ${(state.final.accuracy * 100).toFixed(1)}%${
              state.final.testAccuracy !== null
                ? `, test ${(state.final.testAccuracy * 100).toFixed(1)}%`
                : ''
            }`
          : ''}
      </p>
      {state.error ? <p className="error">{state.error}</p> : null}
      <ErrorMessage error={result.error ?? cancelling.error} />
      <div className="grid-2">
        <LineChart label="Loss" xLabel="epoch" height={160} series={metricSeries(state, 'loss')} />
        <LineChart label="Accuracy" xLabel="epoch" height={160} series={metricSeries(state, 'accuracy')} />
      </div>
    </section>
  );
}
