import { TextField } from '../../components/common/TextField.tsx';
import { METHODS, type MethodName, type RunFormValues } from './runForm.ts';
import { runInputDefaults } from './runInputRules.ts';

interface Props {
  values: RunFormValues;
  errors: Record<string, string>;
  set: (patch: Partial<RunFormValues>) => void;
}

export function MethodFields({ values, errors, set }: Props) {
  // Projected Adam left without steps and restarts fits both to a time budget, as the CLI does.
  const budgeted = values.method === 'PROJECTED_ADAM' && !values.steps.trim() && !values.restarts.trim();
  const fitted = values.method === 'PROJECTED_ADAM' ? 'fitted to the time budget' : undefined;
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
        placeholder={fitted ?? String(runInputDefaults.steps)}
      />
      <TextField
        id="restarts"
        label="Restarts"
        value={values.restarts}
        onChange={(restarts) => set({ restarts })}
        error={errors.restarts}
        inputMode="numeric"
        placeholder={fitted ?? String(runInputDefaults.restarts)}
        hint="Starts optimised together; the best wins."
      />
      {budgeted || values.timeBudgetSeconds.trim() ? (
        <TextField
          id="timeBudgetSeconds"
          label="Time budget (s)"
          value={values.timeBudgetSeconds}
          onChange={(timeBudgetSeconds) => set({ timeBudgetSeconds })}
          error={errors.timeBudgetSeconds}
          placeholder={String(runInputDefaults.timeBudgetSeconds)}
          hint="Seconds for the steps: one step is measured on the model, then the most restarts (8 to 128; 1,024 for a network of at most 10,000 weights without convolution) whose 80 steps fit; where 128 do not, the starts are cut to the best 8 as they go, and the run takes 120 steps."
        />
      ) : null}
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
