import { TextField } from '../../components/common/TextField.tsx';
import type { RunFormValues } from './runForm.ts';

interface Props {
  values: RunFormValues;
  errors: Record<string, string>;
  set: (patch: Partial<RunFormValues>) => void;
}

/** What the run keeps besides its result: a certified upper bound, and which steps store a full input. */
export function CertificateFields({ values, errors, set }: Props) {
  return (
    <fieldset>
      <legend>Certificate and snapshots</legend>
      <TextField
        id="certify-seconds"
        label="Certificate time limit (s)"
        value={values.certifySeconds}
        onChange={(certifySeconds) => set({ certifySeconds })}
        error={errors['certify.timeLimitSeconds']}
        hint="After the run: a certified upper bound and the gap to it (ReLU networks, logit or margin). 0: none."
        placeholder="server default"
      />
      <TextField
        id="snapshot-dense"
        label="Snapshot every step for the first"
        value={values.snapshotDense}
        onChange={(snapshotDense) => set({ snapshotDense })}
        error={errors['snapshots.dense']}
        inputMode="numeric"
        hint="0–1000 steps"
      />
      <TextField
        id="snapshot-per-decade"
        label="Then snapshots per decade of steps"
        value={values.snapshotPerDecade}
        onChange={(snapshotPerDecade) => set({ snapshotPerDecade })}
        error={errors['snapshots.perDecade']}
        inputMode="numeric"
        hint="0–100, log-spaced; the last step is always kept"
      />
    </fieldset>
  );
}
