'use client';

import { useMutation } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { graphql } from '../../graphql/graphql.ts';

const LeaveTeamMutation = graphql(`
  mutation LeaveTeam($teamId: ID!) {
    leaveTeam(teamId: $teamId)
  }
`);

export function LeaveTeamButton({ teamId, teamName }: { teamId: string; teamName: string }) {
  const [state, leave] = useMutation(LeaveTeamMutation);
  return (
    <div className="stack">
      <div>
        <button
          type="button"
          className="danger"
          disabled={state.fetching}
          onClick={async () => {
            if (!window.confirm(`Leave ${teamName}?`)) return;
            const result = await leave({ teamId });
            if (!result.error) window.location.assign('/');
          }}
        >
          Leave team
        </button>
      </div>
      <ErrorMessage error={state.error} />
    </div>
  );
}
