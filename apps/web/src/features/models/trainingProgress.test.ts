import { describe, expect, it } from 'vitest';
import { applyTrainingEvent, emptyTraining, etaSeconds } from './trainingProgress.ts';

describe('applyTrainingEvent', () => {
  it('tracks progress through batches and epochs, and the final metrics', () => {
    let s = applyTrainingEvent(emptyTraining, { kind: 'status', payload: { status: 'QUEUED', error: null } });
    s = applyTrainingEvent(s, {
      kind: 'batch',
      payload: { epoch: 1, batch: 50, batches: 100, loss: 1.2, accuracy: 0.6, examplesPerSecond: 9000 },
    });
    expect(s.status).toBe('RUNNING');
    expect(s.batchPoints).toEqual([{ x: 0.5, loss: 1.2, accuracy: 0.6 }]);
    s = applyTrainingEvent(s, {
      kind: 'epoch',
      payload: { epoch: 1, epochs: 4, loss: 0.9, accuracy: 0.7, testLoss: 0.8, seconds: 2 },
    });
    expect(s.fraction).toBe(0.25);
    s = applyTrainingEvent(s, {
      kind: 'batch',
      payload: { epoch: 2, batch: 50, batches: 100, loss: 0.7, accuracy: 0.75, examplesPerSecond: 9100 },
    });
    expect(s.fraction).toBeCloseTo(0.375);
    expect(s.epochPoints).toEqual([
      { epoch: 1, loss: 0.9, accuracy: 0.7, testLoss: 0.8, testAccuracy: null },
    ]);
    s = applyTrainingEvent(s, {
      kind: 'done',
      payload: { epochs: 4, loss: 0.5, accuracy: 0.82, seconds: 8, backend: 'cpu' },
    });
    s = applyTrainingEvent(s, { kind: 'status', payload: { status: 'SUCCEEDED', error: null } });
    expect(s).toMatchObject({
      status: 'SUCCEEDED',
      fraction: 1,
      final: { loss: 0.5, accuracy: 0.82, seconds: 8 },
    });
  });

  it('ignores events with missing numbers instead of drawing NaN', () => {
    const s = applyTrainingEvent(emptyTraining, { kind: 'batch', payload: { epoch: 1, loss: 'x' } });
    expect(s).toBe(emptyTraining);
  });
});

describe('etaSeconds', () => {
  it('extrapolates the time left from the pace so far', () => {
    expect(etaSeconds(0.25, 10)).toBe(30);
    expect(etaSeconds(0, 10)).toBeNull();
    expect(etaSeconds(1, 10)).toBeNull();
  });
});
