'use client';

import { useCallback, useState } from 'react';
import { useQuery } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { Loading } from '../../components/common/Loading.tsx';
import { canWrite } from '../teams/roles.ts';
import { ModelCard } from './ModelCard.tsx';
import { TeamModelsQuery } from './modelsQuery.ts';
import { TrainingProgress } from './TrainingProgress.tsx';
import { TrainModelForm } from './TrainModelForm.tsx';
import { TrainingJobsQuery } from './trainingQueries.ts';
import { UploadModelForm } from './UploadModelForm.tsx';

export function ModelsPage({ teamId }: { teamId: string }) {
  const [{ data, fetching, error }, refetchModels] = useQuery({
    query: TeamModelsQuery,
    variables: { teamId },
  });
  const [jobs, refetchJobs] = useQuery({ query: TrainingJobsQuery, variables: { teamId } });
  const [started, setStarted] = useState<{ id: string; name: string }[]>([]);
  const onFinished = useCallback(() => {
    refetchModels({ requestPolicy: 'network-only' });
    refetchJobs({ requestPolicy: 'network-only' });
  }, [refetchModels, refetchJobs]);
  if (fetching && !data) return <Loading what="models" />;
  if (!data) return <ErrorMessage error={error} />;
  const writer = canWrite(data.team.myRole);
  // Jobs still going (from before this visit) get a live panel too.
  const active = (jobs.data?.trainingJobs ?? [])
    .filter((j) => j.status === 'QUEUED' || j.status === 'RUNNING')
    .map((j) => ({ id: j.id, name: jobName(j.spec) }));
  const watching = [...started, ...active.filter((a) => !started.some((s) => s.id === a.id))];
  return (
    <div className="stack">
      <h1>Models</h1>
      <ErrorMessage error={error ?? jobs.error} />
      {writer ? (
        <section className="card stack">
          <h2>Train a model</h2>
          <TrainModelForm teamId={teamId} onStarted={(job) => setStarted((s) => [job, ...s])} />
        </section>
      ) : null}
      {watching.map((job) => (
        <TrainingProgress
          key={job.id}
          jobId={job.id}
          name={job.name}
          canCancel={writer}
          onFinished={onFinished}
        />
      ))}
      {writer ? (
        <section className="card stack">
          <h2>Upload a model</h2>
          <UploadModelForm teamId={teamId} onUploaded={onFinished} />
        </section>
      ) : null}
      <div className="compare-grid">
        {data.models.map((m) => (
          <ModelCard
            key={m.id}
            teamId={teamId}
            model={m}
            isSeed={m.id === data.system.seedModelId}
            canWrite={writer}
          />
        ))}
      </div>
    </div>
  );
}

function jobName(spec: unknown): string {
  const name = spec !== null && typeof spec === 'object' ? (spec as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? name : 'a model';
}
