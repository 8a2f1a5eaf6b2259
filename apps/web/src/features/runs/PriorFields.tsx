import { FieldError } from '../../components/common/FieldError.tsx';
import { priorLabels } from '../live/runSpecText.ts';
import type { PriorName, RunFormValues } from './runForm.ts';

interface Props {
  values: RunFormValues;
  errors: Record<string, string>;
  set: (patch: Partial<RunFormValues>) => void;
}

const PRIORS: readonly PriorName[] = ['NONE', 'FASHION_MNIST', 'MNIST'];

/** Realistic answers: search only inside a dataset's prior instead of the whole box. */
export function PriorFields({ values, errors, set }: Props) {
  const error = errors.prior;
  return (
    <fieldset>
      <legend>Realism</legend>
      <label htmlFor="prior">
        Prior
        <select
          id="prior"
          value={values.prior}
          onChange={(e) => set({ prior: e.target.value as PriorName })}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? 'prior-error' : 'prior-hint'}
        >
          {PRIORS.map((p) => (
            <option key={p} value={p}>
              {p === 'NONE' ? 'None (the box maximum)' : `${priorLabels[p]}: realistic images`}
            </option>
          ))}
        </select>
        <FieldError id="prior" message={error} />
      </label>
      <p id="prior-hint" className="muted small">
        Searches only inputs that look like the dataset (built once on first use; keeps the box, replaces the
        other constraints; the certificate bounds the set searched, not the box).
      </p>
    </fieldset>
  );
}
