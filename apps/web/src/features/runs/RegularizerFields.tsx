import { TextField } from '../../components/common/TextField.tsx';
import type { RunFormValues } from './runForm.ts';

interface Props {
  values: RunFormValues;
  errors: Record<string, string>;
  set: (patch: Partial<RunFormValues>) => void;
}

/** Optional penalties and transforms that make maximising inputs look less like noise. */
export function RegularizerFields({ values, errors, set }: Props) {
  return (
    <fieldset>
      <legend>Regularisers (optional)</legend>
      <TextField
        id="reg-l2"
        label="L2 weight"
        value={values.regL2}
        onChange={(regL2) => set({ regL2 })}
        error={errors['regularizers.l2']}
      />
      <TextField
        id="reg-tv"
        label="Total variation weight"
        value={values.regTv}
        onChange={(regTv) => set({ regTv })}
        error={errors['regularizers.tv']}
      />
      <TextField
        id="reg-blur"
        label="Blur σ"
        value={values.regBlur}
        onChange={(regBlur) => set({ regBlur })}
        error={errors['regularizers.blur']}
      />
      <TextField
        id="reg-blur-every"
        label="Blur every n steps"
        value={values.regBlurEvery}
        onChange={(regBlurEvery) => set({ regBlurEvery })}
        error={errors['regularizers.blurEvery']}
        inputMode="numeric"
      />
      <TextField
        id="reg-jitter"
        label="Jitter (pixels, 0–8)"
        value={values.regJitter}
        onChange={(regJitter) => set({ regJitter })}
        error={errors['regularizers.jitter']}
        inputMode="numeric"
      />
    </fieldset>
  );
}
