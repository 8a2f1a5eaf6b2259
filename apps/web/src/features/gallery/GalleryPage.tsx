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
 * One click starts a run per class of a model; the grid fills in live. The run ids go into the URL
 * (`?runs=…`), so the gallery survives a reload and can be linked.
 */
export function GalleryPage({ teamId }: { teamId: string }) {
  const router = useRouter();
  const path = usePathname();
  const params = useSearchParams();
  const runIds = (params.get('runs') ?? '').split(',').filter(Boolean);
  const [{ data, fetching, error }] = useQuery({ query: TeamModelsQuery, variables: { teamId } });
  const [starting, startRun] = useMutation(StartRunMutation);
  const [modelId, setModelId] = useState<string | null>(params.get('model'));
  const [steps, setSteps] = useState('200');
  const [stepsError, setStepsError] = useState<string | undefined>();
  const [startedIds, setStartedIds] = useState<string[]>([]);

  if (fetching && !data) return <Loading what="models" />;
  if (!data) return <ErrorMessage error={error} />;
  const model = data.models.find((m) => m.id === (modelId ?? data.system.seedModelId)) ?? data.models[0];
  const ids = startedIds.length > 0 ? startedIds : runIds;
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
    const started: string[] = [];
    setStartedIds(started);
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
            certify: { timeLimitSeconds: 2 },
          },
        },
        { additionalTypenames: ['Run'] },
      );
      if (!result.data) break;
      started.push(result.data.startRun.id);
      setStartedIds([...started]);
    }
    router.replace(`${path}?model=${model.id}&runs=${started.join(',')}`);
  };

  return (
    <div className="stack">
      <h1>Class gallery</h1>
      <p className="muted">
        The input that most excites each class of a model, side by side, as it takes shape.
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
            <GalleryCell key={id} runId={id} label={labels[i] ?? `output ${i}`} />
          ))}
        </div>
      ) : null}
    </div>
  );
}
