import { TextField } from '../../components/common/TextField.tsx';
import { MaskPainter } from './MaskPainter.tsx';
import { ReferenceImagePicker } from './ReferenceImagePicker.tsx';
import type { RunFormValues } from './runForm.ts';

interface Props {
  inputShape: readonly number[];
  values: RunFormValues;
  errors: Record<string, string>;
  set: (patch: Partial<RunFormValues>) => void;
}

/** The box every input stays in, an optional L∞/L2 ball around a reference image, fixed pixels, levels. */
export function ConstraintFields({ inputShape, values, errors, set }: Props) {
  const lo = Number(values.boxLo);
  const hi = Number(values.boxHi);
  const range: [number, number] = Number.isFinite(lo) && Number.isFinite(hi) && lo < hi ? [lo, hi] : [0, 1];
  const ballPath = `constraints.${values.ball}`;
  const referenceError =
    errors[`${ballPath}.reference`] ??
    errors['constraints.fixedMask.reference'] ??
    errors['constraints.fixedMask.indices'];
  return (
    <fieldset>
      <legend>Constraints</legend>
      <TextField
        id="box-lo"
        label="Box: lowest value"
        value={values.boxLo}
        onChange={(boxLo) => set({ boxLo })}
        error={errors['constraints.box.lo']}
      />
      <TextField
        id="box-hi"
        label="Box: highest value"
        value={values.boxHi}
        onChange={(boxHi) => set({ boxHi })}
        error={errors['constraints.box.hi']}
      />
      <label htmlFor="ball">
        Stay near a reference image
        <select
          id="ball"
          value={values.ball}
          onChange={(e) => set({ ball: e.target.value as RunFormValues['ball'] })}
        >
          <option value="none">No</option>
          <option value="linf">L∞ ball (each pixel within ε)</option>
          <option value="l2">L2 ball (total distance within ε)</option>
        </select>
      </label>
      {values.ball === 'none' ? null : (
        <TextField
          id="epsilon"
          label="Radius ε"
          value={values.epsilon}
          onChange={(epsilon) => set({ epsilon })}
          error={errors[`${ballPath}.epsilon`]}
        />
      )}
      <TextField
        id="quantize-levels"
        label="Quantise to levels"
        value={values.quantizeLevels}
        onChange={(quantizeLevels) => set({ quantizeLevels })}
        error={errors['constraints.quantizeLevels']}
        inputMode="numeric"
        placeholder="off (e.g. 256)"
      />
      <div style={{ gridColumn: '1 / -1' }} className="grid-2">
        <ReferenceImagePicker
          inputShape={inputShape}
          range={range}
          reference={values.reference}
          onChange={(reference) => set({ reference, maskPixels: reference ? values.maskPixels : [] })}
          error={referenceError}
        />
        {values.reference ? (
          <MaskPainter
            inputShape={inputShape}
            range={range}
            reference={values.reference}
            pixels={values.maskPixels}
            onChange={(maskPixels) => set({ maskPixels })}
          />
        ) : (
          <p className="muted small">Load a reference image to use a ball or to paint fixed pixels.</p>
        )}
      </div>
    </fieldset>
  );
}
