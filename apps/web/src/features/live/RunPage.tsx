'use client';

import { useCallback } from 'react';
import { useQuery } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { Loading } from '../../components/common/Loading.tsx';
import { graphql } from '../../graphql/graphql.ts';
import { canWrite } from '../teams/roles.ts';
import { LiveRunView } from './LiveRunView.tsx';
import { RunQuery } from './runQueries.ts';

const MyRoleQuery = graphql(`
  query MyRoleInTeam($teamId: ID!) {
    team(id: $teamId) {
      id
      myRole
    }
  }
`);

/** `/runs/[runId]` for team members. Other teams' runs answer NOT_FOUND, shown as a message. */
export function RunPage({ runId }: { runId: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: RunQuery, variables: { id: runId } });
  const teamId = data?.run.teamId;
  const [role] = useQuery({ query: MyRoleQuery, variables: { teamId: teamId ?? '' }, pause: !teamId });
  const onFinished = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  if (fetching && !data) return <Loading what="the run" />;
  if (error) return <ErrorMessage error={error} />;
  if (!data?.run) return null;
  return (
    <LiveRunView
      run={data.run}
      source={{ kind: 'member', runId }}
      canWrite={canWrite(role.data?.team.myRole)}
      onFinished={onFinished}
    />
  );
}
