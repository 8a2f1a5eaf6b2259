import { TextField } from '../../components/common/TextField.tsx';
import { METHODS, type MethodName, type RunFormValues } from './runForm.ts';

interface Props {
  values: RunFormValues;
  errors: Record<string, string>;
  set: (patch: Partial<RunFormValues>) => void;
}

export function MethodFields({ values, errors, set }: Props) {
  return (
    <fieldset>
      <legend>Method</legend>
      <label htmlFor="method">
        Optimiser
        <select
          id="method"
          value={values.method}
          onChange={(e) => set({ method: e.target.value as MethodName })}
        >
          {METHODS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor="parameterization">
        Parameterisation
        <select
          id="parameterization"
          value={values.parameterization}
          onChange={(e) => set({ parameterization: e.target.value as RunFormValues['parameterization'] })}
        >
          <option value="">Default</option>
          <option value="PIXEL">Pixels</option>
          <option value="SIGMOID">Sigmoid</option>
          <option value="FOURIER">Fourier</option>
        </select>
      </label>
      <TextField
        id="steps"
        label="Steps"
        value={values.steps}
        onChange={(steps) => set({ steps })}
        error={errors.steps}
        inputMode="numeric"
      />
      <TextField
        id="restarts"
        label="Restarts"
        value={values.restarts}
        onChange={(restarts) => set({ restarts })}
        error={errors.restarts}
        inputMode="numeric"
        hint="Starts optimised together; the best wins."
      />
      <TextField
        id="seed"
        label="Seed"
        value={values.seed}
        onChange={(seed) => set({ seed })}
        error={errors.seed}
        inputMode="numeric"
        placeholder="random"
      />
      <TextField
        id="learningRate"
        label="Learning rate"
        value={values.learningRate}
        onChange={(learningRate) => set({ learningRate })}
        error={errors.learningRate}
        placeholder="method default"
      />
    </fieldset>
  );
}
