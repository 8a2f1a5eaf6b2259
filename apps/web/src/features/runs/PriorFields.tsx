import { FieldError } from '../../components/common/FieldError.tsx';
import { TextField } from '../../components/common/TextField.tsx';
import { priorLabels } from '../live/runSpecText.ts';
import { ReferenceImagePicker } from './ReferenceImagePicker.tsx';
import { type AnchorChoice, CLASS_TARGETS, type PriorName, type RunFormValues } from './runForm.ts';

interface Props {
  values: RunFormValues;
  errors: Record<string, string>;
  set: (patch: Partial<RunFormValues>) => void;
  inputShape: readonly number[];
}

const PRIORS: readonly PriorName[] = ['NONE', 'FASHION_MNIST', 'MNIST'];
const ANCHORS: readonly { value: AnchorChoice; label: string }[] = [
  { value: 'NONE', label: 'No: search the whole class' },
  { value: 'TYPICAL', label: "The dataset's top-scoring image of the class" },
  { value: 'REFERENCE', label: 'My reference image' },
  { value: 'TRAINING', label: 'A training image by number' },
];

/**
 * Realistic answers: search only inside a dataset's prior instead of the whole box; within it, start from
 * a real image and stay near it (accentuation), or ask for several distinct prototypes.
 */
export function PriorFields({ values, errors, set, inputShape }: Props) {
  const error = errors.prior;
  const withPrior = values.prior !== 'NONE';
  const classTarget = CLASS_TARGETS.includes(values.targetKind);
  const box: [number, number] = [Number(values.boxLo), Number(values.boxHi)];
  const range: [number, number] = box[0] < box[1] ? box : [0, 1];
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
      {withPrior && classTarget ? (
        <div className="grid-2">
          <label htmlFor="accentuate">
            Start from a real image
            <select
              id="accentuate"
              value={values.accentuate}
              onChange={(e) => set({ accentuate: e.target.value as AnchorChoice })}
              aria-invalid={Boolean(errors.accentuate)}
            >
              {ANCHORS.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
            <FieldError id="accentuate" message={errors.accentuate} />
          </label>
          <TextField
            id="diverse"
            label="Diverse prototypes"
            value={values.diverse}
            onChange={(diverse) => set({ diverse })}
            error={errors.diverse}
            inputMode="numeric"
            placeholder="off (2–8)"
          />
          {values.accentuate !== 'NONE' ? (
            <p className="muted small" style={{ gridColumn: '1 / -1' }}>
              Accentuation stays within half the class's radius of the image's projection and never ends below
              it; it has no certificate.
            </p>
          ) : null}
          {values.accentuate === 'TRAINING' ? (
            <TextField
              id="anchor-training-index"
              label="Training image #"
              value={values.anchorTrainingIndex}
              onChange={(anchorTrainingIndex) => set({ anchorTrainingIndex })}
              error={errors['accentuate.trainingIndex']}
              inputMode="numeric"
              placeholder="as the realism panel numbers it"
            />
          ) : null}
          {values.accentuate === 'REFERENCE' ? (
            <div style={{ gridColumn: '1 / -1' }}>
              <ReferenceImagePicker
                id="anchor-file"
                label="Anchor image"
                field="accentuate.reference"
                inputShape={inputShape}
                range={range}
                reference={values.anchorReference}
                onChange={(anchorReference) => set({ anchorReference })}
                error={errors['accentuate.reference']}
              />
            </div>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
}
