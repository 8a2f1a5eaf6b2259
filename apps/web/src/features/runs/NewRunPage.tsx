'use client';

import { useSearchParams } from 'next/navigation';
import { useQuery } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { Loading } from '../../components/common/Loading.tsx';
import { TeamModelsQuery } from '../models/modelsQuery.ts';
import { canWrite } from '../teams/roles.ts';
import { NewRunForm } from './NewRunForm.tsx';

export function NewRunPage({ teamId }: { teamId: string }) {
  const [{ data, fetching, error }] = useQuery({ query: TeamModelsQuery, variables: { teamId } });
  const wantedModel = useSearchParams().get('model');
  if (fetching && !data) return <Loading what="models" />;
  if (error) return <ErrorMessage error={error} />;
  if (!data) return null;
  if (!canWrite(data.team.myRole))
    return (
      <p className="notice">Viewers can watch runs but not start them. Ask an owner for the member role.</p>
    );
  const initial =
    data.models.find((m) => m.id === wantedModel)?.id ?? data.system.seedModelId ?? data.models[0]?.id;
  return (
    <div className="stack">
      <h1>New run</h1>
      {data.models.length === 0 ? (
        <p className="notice">This team has no models yet.</p>
      ) : (
        <NewRunForm teamId={teamId} models={data.models} initialModelId={initial ?? ''} />
      )}
    </div>
  );
}
