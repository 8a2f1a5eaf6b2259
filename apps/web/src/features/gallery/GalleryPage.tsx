'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { Loading } from '../../components/common/Loading.tsx';
import { TextField } from '../../components/common/TextField.tsx';
import { TeamModelsQuery } from '../models/modelsQuery.ts';
import { StartRunMutation } from '../runs/startRunMutation.ts';
import { canWrite } from '../teams/roles.ts';
import { GalleryCell } from './GalleryCell.tsx';

/**
 * One click starts a run per class of a model; the grid fills in live. By default each class's realistic
 * prototype (the run searches the model's dataset prior, when it has one); a toggle shows the unconstrained
 * maximum instead. The run ids of each kind go into the URL (`?runs=…` realistic, `&box=…` unconstrained),
 * so the gallery survives a reload and can be linked, and each cell shows both values once both ran.
 */
export function GalleryPage({ teamId }: { teamId: string }) {
  const router = useRouter();
  const path = usePathname();
  const params = useSearchParams();
  const idsOf = (name: string) => (params.get(name) ?? '').split(',').filter(Boolean);
  const [unconstrained, setUnconstrained] = useState(params.get('view') === 'box');
  const [{ data, fetching, error }] = useQuery({ query: TeamModelsQuery, variables: { teamId } });
  const [starting, startRun] = useMutation(StartRunMutation);
  const [modelId, setModelId] = useState<string | null>(params.get('model'));
  const [steps, setSteps] = useState('200');
  const [stepsError, setStepsError] = useState<string | undefined>();
  const [started, setStarted] = useState<{ runs?: string[]; box?: string[] }>({});

  if (fetching && !data) return <Loading what="models" />;
  if (!data) return <ErrorMessage error={error} />;
  const model = data.models.find((m) => m.id === (modelId ?? data.system.seedModelId)) ?? data.models[0];
  // Realistic prototypes need the model's dataset; without one the gallery shows the box maximum only.
  const prior = model?.dataset && model.dataset !== 'NONE' ? model.dataset : null;
  const boxView = unconstrained || !prior;
  const realisticIds = started.runs ?? idsOf('runs');
  const boxIds = started.box ?? idsOf('box');
  const [ids, otherIds] = boxView ? [boxIds, realisticIds] : [realisticIds, boxIds];
  const labels =
    model?.classNames ?? Array.from({ length: model?.outputCount ?? 0 }, (_, i) => `output ${i}`);

  const startAll = async () => {
    if (!model) return;
    const n = Number(steps);
    if (!Number.isInteger(n) || n < 1) {
      setStepsError('must be a whole number ≥ 1');
      return;
    }
    setStepsError(undefined);
    const key = boxView ? 'box' : 'runs';
    const ids: string[] = [];
    setStarted((s) => ({ ...s, [key]: ids }));
    for (let index = 0; index < model.outputCount; index++) {
      const result = await startRun(
        {
          teamId,
          modelId: model.id,
          input: {
            target: { kind: 'LOGIT', index },
            steps: n,
            restarts: 8,
            seed: index + 1,
            // The gallery is about the pictures: a short certificate, so ten cells finish together soon.
            // A realistic prototype's bounds the set searched in the prior, an unconstrained one's the box.
            certify: { timeLimitSeconds: 2 },
            ...(boxView ? {} : { prior }),
          },
        },
        { additionalTypenames: ['Run'] },
      );
      if (!result.data) break;
      ids.push(result.data.startRun.id);
      setStarted((s) => ({ ...s, [key]: [...ids] }));
    }
    const other = boxView ? realisticIds : boxIds;
    const query = new URLSearchParams({ model: model.id, [key]: ids.join(',') });
    if (other.length > 0) query.set(boxView ? 'runs' : 'box', other.join(','));
    if (boxView && prior) query.set('view', 'box');
    router.replace(`${path}?${query.toString().replaceAll('%2C', ',')}`);
  };

  return (
    <div className="stack">
      <h1>Class gallery</h1>
      <p className="muted">
        The input that most excites each class of a model, side by side, as it takes shape:{' '}
        {boxView
          ? 'the unconstrained maximum over the whole box (usually noise).'
          : 'realistic prototypes, searched only among images that look like the data.'}
      </p>
      <ErrorMessage error={error} />
      {canWrite(data.team.myRole) ? (
        <div className="card grid-2" style={{ alignItems: 'end' }}>
          <label htmlFor="gallery-model">
            Model
            <select id="gallery-model" value={model?.id ?? ''} onChange={(e) => setModelId(e.target.value)}>
              {data.models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          <TextField
            id="gallery-steps"
            label="Steps per run"
            value={steps}
            onChange={setSteps}
            error={stepsError}
            inputMode="numeric"
          />
          <label htmlFor="gallery-unconstrained" className="row" style={{ gap: '0.4rem' }}>
            <input
              id="gallery-unconstrained"
              type="checkbox"
              checked={boxView}
              disabled={!prior}
              onChange={(e) => setUnconstrained(e.target.checked)}
              data-testid="gallery-unconstrained"
            />
            {prior
              ? 'Unconstrained maximum (the box) instead of realistic prototypes'
              : 'Unconstrained maximum (this model has no known dataset for realistic prototypes)'}
          </label>
          <div>
            <button
              type="button"
              onClick={startAll}
              disabled={starting.fetching || !model}
              data-testid="gallery-start"
            >
              {starting.fetching ? 'Starting…' : `Run all ${model?.outputCount ?? 0} classes`}
            </button>
          </div>
        </div>
      ) : (
        <p className="notice">Viewers can look at galleries but not start them.</p>
      )}
      <ErrorMessage error={starting.error} />
      {ids.length > 0 ? (
        <div className="gallery-grid">
          {ids.map((id, i) => (
            <GalleryCell
              key={id}
              runId={id}
              otherRunId={otherIds[i] ?? null}
              label={labels[i] ?? `output ${i}`}
            />
          ))}
        </div>
      ) : null}
    </div>
  );
}
