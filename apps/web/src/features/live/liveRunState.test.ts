import { describe, expect, it } from 'vitest';
import {
  applyRunEvent,
  emptyLiveRun,
  FRAME_STRIP_LENGTH,
  type RunEventData,
  stepsPerSecond,
} from './liveRunState.ts';

const step = (n: number, image: string | null = null): RunEventData => ({
  __typename: 'RunStepEvent',
  step: n,
  steps: 100,
  restarts: 8,
  objective: n / 10,
  violation: 0,
  outputs: [0.5, 0.5],
  image,
});

describe('applyRunEvent', () => {
  it('tracks status, latest step and the curve, skipping repeated or older steps', () => {
    let s = applyRunEvent(emptyLiveRun, { __typename: 'RunStatusEvent', status: 'RUNNING' }, 0);
    s = applyRunEvent(s, step(0), 10);
    s = applyRunEvent(s, step(5), 20);
    s = applyRunEvent(s, step(3), 30);
    expect(s.status).toBe('RUNNING');
    expect(s.step).toBe(5);
    expect(s.curve.map((p) => p.step)).toEqual([0, 5]);
  });

  it('counts image changes and keeps only the most recent frames', () => {
    let s = emptyLiveRun;
    for (let i = 0; i < FRAME_STRIP_LENGTH + 5; i++)
      s = applyRunEvent(s, step(i, `data:image/png;base64,${i}`), i);
    s = applyRunEvent(s, step(100, `data:image/png;base64,${FRAME_STRIP_LENGTH + 4}`), 200);
    expect(s.imageChanges).toBe(FRAME_STRIP_LENGTH + 5);
    expect(s.frames).toHaveLength(FRAME_STRIP_LENGTH);
    expect(s.frames.at(-1)?.step).toBe(100);
  });

  it('does not mutate the previous state', () => {
    const before = applyRunEvent(emptyLiveRun, step(0, 'a'), 0);
    const frozen = JSON.stringify(before);
    applyRunEvent(before, step(1, 'b'), 1);
    expect(JSON.stringify(before)).toBe(frozen);
  });
});

describe('stepsPerSecond', () => {
  it('measures live steps and ignores a late joiner’s catch-up burst', () => {
    let s = emptyLiveRun;
    // 50 stored steps delivered within 5 ms, then live steps at 20 steps/s.
    for (let i = 0; i < 50; i++) s = applyRunEvent(s, step(i), 1000 + i / 10);
    expect(stepsPerSecond(s)).toBeNull();
    for (let i = 1; i <= 20; i++) s = applyRunEvent(s, step(49 + i * 4), 1000 + i * 200);
    expect(stepsPerSecond(s)).toBeCloseTo(20, 5);
  });

  it('shows the prior build while the run is queued, and forgets it once the run starts', () => {
    const queued = (priorProgress: number): RunEventData => ({
      __typename: 'RunStatusEvent',
      status: 'QUEUED',
      priorProgress,
      priorStage: `stage ${priorProgress}`,
    });
    let s = applyRunEvent(emptyLiveRun, queued(0.4), 0);
    expect(s.prior).toEqual({ progress: 0.4, stage: 'stage 0.4' });
    s = applyRunEvent(s, { __typename: 'RunStatusEvent', status: 'QUEUED' }, 1);
    expect(s.prior?.progress).toBe(0.4);
    s = applyRunEvent(s, { __typename: 'RunStatusEvent', status: 'RUNNING' }, 2);
    expect(s.prior).toBeNull();
  });
});
