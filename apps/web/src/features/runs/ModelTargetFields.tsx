import { FieldError } from '../../components/common/FieldError.tsx';
import { TextField } from '../../components/common/TextField.tsx';
import { parseLayerSummary } from '../models/layerSummary.ts';
import { CLASS_TARGETS, type RunFormValues, type TargetKind } from './runForm.ts';

export interface FormModelOption {
  id: string;
  name: string;
  origin: string;
  inputShape: readonly number[];
  outputCount: number;
  classNames: readonly string[] | null;
  layerSummary: unknown;
}

interface Props {
  models: readonly FormModelOption[];
  values: RunFormValues;
  errors: Record<string, string>;
  set: (patch: Partial<RunFormValues>) => void;
}

const TARGET_LABELS: Record<TargetKind, string> = {
  LOGIT: 'Logit of a class',
  PROB: 'Probability of a class',
  LOGPROB: 'Log-probability of a class',
  MARGIN: 'Margin of a class over the others',
  UNIT: 'Unit of a layer',
  CHANNEL: 'Channel of a layer (mean)',
};

/** Model, and what to maximise: a class by its label name, or a unit/channel of a named layer. */
export function ModelTargetFields({ models, values, errors, set }: Props) {
  const model = models.find((m) => m.id === values.modelId);
  const classTarget = CLASS_TARGETS.includes(values.targetKind);
  const layers = parseLayerSummary(model?.layerSummary);
  return (
    <fieldset>
      <legend>Model and target</legend>
      <label htmlFor="modelId">
        Model
        <select
          id="modelId"
          value={values.modelId}
          onChange={(e) => set({ modelId: e.target.value, targetIndex: '0', targetLayer: '' })}
          aria-invalid={Boolean(errors.modelId)}
        >
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} ({m.origin})
            </option>
          ))}
        </select>
        <FieldError id="modelId" message={errors.modelId} />
      </label>
      <label htmlFor="target-kind">
        Maximise
        <select
          id="target-kind"
          value={values.targetKind}
          onChange={(e) => set({ targetKind: e.target.value as TargetKind })}
        >
          {Object.entries(TARGET_LABELS).map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {classTarget && model?.classNames ? (
        <label htmlFor="target-index">
          Class
          <select
            id="target-index"
            value={values.targetIndex}
            onChange={(e) => set({ targetIndex: e.target.value })}
            aria-invalid={Boolean(errors['target.index'])}
          >
            {model.classNames.map((name, i) => (
              <option key={name} value={String(i)}>
                {name}
              </option>
            ))}
          </select>
          <FieldError id="target-index" message={errors['target.index']} />
        </label>
      ) : (
        <TextField
          id="target-index"
          label={classTarget ? `Output index (0–${(model?.outputCount ?? 1) - 1})` : 'Unit / channel index'}
          value={values.targetIndex}
          onChange={(targetIndex) => set({ targetIndex })}
          error={errors['target.index']}
          inputMode="numeric"
        />
      )}
      {classTarget ? null : (
        <label htmlFor="target-layer">
          Layer
          <select
            id="target-layer"
            value={values.targetLayer}
            onChange={(e) => set({ targetLayer: e.target.value })}
            aria-invalid={Boolean(errors['target.layer'])}
          >
            <option value="">Choose a layer</option>
            {layers.map((l) => (
              <option key={l.name} value={l.name}>
                {l.name} ({l.className}, {l.outputShape.join('×')})
              </option>
            ))}
          </select>
          <FieldError id="target-layer" message={errors['target.layer']} />
        </label>
      )}
    </fieldset>
  );
}
