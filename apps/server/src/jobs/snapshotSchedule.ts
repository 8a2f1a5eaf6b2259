import type { SnapshotPolicy } from '../runs/runSpec.ts';

export const defaultSnapshotPolicy: SnapshotPolicy = { dense: 50, perDecade: 20 };

/**
 * Dense at the start (where the input changes most), log-spaced after, always the last step: a 10,000-step
 * run keeps ~50 + 20·2 snapshots instead of 10,000.
 */
export function snapshotSchedule(policy: SnapshotPolicy): (step: number, steps: number) => boolean {
  return (step, steps) => {
    if (step < policy.dense || step === steps - 1) return true;
    const prev = Math.floor(Math.log10(step) * policy.perDecade);
    const cur = Math.floor(Math.log10(step + 1) * policy.perDecade);
    return cur !== prev;
  };
}
