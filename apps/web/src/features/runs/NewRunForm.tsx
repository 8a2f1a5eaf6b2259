'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { type ApiProblem, splitByField } from '../../api/apiProblems.ts';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { buildStartRunInput, type FieldErrors } from './buildStartRunInput.ts';
import { CertificateFields } from './CertificateFields.tsx';
import { ConstraintFields } from './ConstraintFields.tsx';
import { fieldOfProblem } from './fieldOfProblem.ts';
import { MethodFields } from './MethodFields.tsx';
import { type FormModelOption, ModelTargetFields } from './ModelTargetFields.tsx';
import { PriorFields } from './PriorFields.tsx';
import { RegularizerFields } from './RegularizerFields.tsx';
import { defaultRunForm, type RunFormValues } from './runForm.ts';
import { StartRunMutation } from './startRunMutation.ts';

interface Props {
  teamId: string;
  models: readonly FormModelOption[];
  initialModelId: string;
}

/**
 * The new-run form: checked in the browser with the server's rules first, then by the server; either way
 * each message appears next to its field. On success it opens the live page.
 */
export function NewRunForm({ teamId, models, initialModelId }: Props) {
  const router = useRouter();
  const [values, setValues] = useState<RunFormValues>(() => defaultRunForm(initialModelId));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<ApiProblem[]>([]);
  const [state, startRun] = useMutation(StartRunMutation);
  const model = models.find((m) => m.id === values.modelId);
  const set = (patch: Partial<RunFormValues>) => setValues((v) => ({ ...v, ...patch }));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const built = buildStartRunInput(values, model);
    setGeneral([]);
    if (!built.input || !model) {
      setErrors(built.errors ?? {});
      return;
    }
    setErrors({});
    const result = await startRun(
      { teamId, modelId: model.id, input: built.input },
      { additionalTypenames: ['Run'] },
    );
    if (result.data) {
      router.push(`/runs/${result.data.startRun.id}`);
      return;
    }
    const split = splitByField(result.error, fieldOfProblem);
    setErrors(split.fields);
    setGeneral(split.general);
  };

  const invalid = Object.keys(errors).length;
  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="New run">
      <ModelTargetFields models={models} values={values} errors={errors} set={set} />
      <MethodFields values={values} errors={errors} set={set} />
      <PriorFields values={values} errors={errors} set={set} inputShape={model?.inputShape ?? []} />
      <ConstraintFields inputShape={model?.inputShape ?? []} values={values} errors={errors} set={set} />
      <RegularizerFields values={values} errors={errors} set={set} />
      <CertificateFields values={values} errors={errors} set={set} />
      <ErrorMessage problems={general} />
      {invalid > 0 ? (
        <p className="field-error" role="status">
          {invalid === 1 ? 'One field needs' : `${invalid} fields need`} fixing before the run can start.
        </p>
      ) : null}
      <div className="row">
        <button type="submit" disabled={state.fetching} data-testid="start-run">
          {state.fetching ? 'Starting…' : 'Start run'}
        </button>
      </div>
    </form>
  );
}
