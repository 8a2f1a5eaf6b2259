import { z } from 'zod';

/** When to keep a full input snapshot: every step up to `dense`, then `perDecade` log-spaced steps per decade. */
export const snapshotPolicySchema = z.object({ dense: z.number().int(), perDecade: z.number().int() });
export type SnapshotPolicy = z.infer<typeof snapshotPolicySchema>;

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
