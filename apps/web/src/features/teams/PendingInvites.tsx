'use client';

import { useMutation, useQuery } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { graphql } from '../../graphql/graphql.ts';
import { TeamInvitesQuery } from './teamQuery.ts';

const RevokeInviteMutation = graphql(`
  mutation RevokeInvite($teamId: ID!, $inviteId: ID!) {
    revokeInvite(teamId: $teamId, inviteId: $inviteId)
  }
`);

// urql re-runs a query whose context object changes, so this one is created once.
const inviteContext = { additionalTypenames: ['Invite'] };

/** Owners only (the server refuses `invites` to others). */
export function PendingInvites({ teamId }: { teamId: string }) {
  const [{ data, error }] = useQuery({
    query: TeamInvitesQuery,
    variables: { id: teamId },
    context: inviteContext,
  });
  const [revoking, revoke] = useMutation(RevokeInviteMutation);
  const invites = data?.team.invites ?? [];
  if (error) return <ErrorMessage error={error} />;
  if (invites.length === 0) return null;
  return (
    <div className="stack">
      <h3>Pending invites</h3>
      <ul>
        {invites.map((i) => (
          <li key={i.id} className="row">
            {i.email} as {i.role.toLowerCase()}, expires {new Date(i.expiresAt).toLocaleDateString()}
            <button
              type="button"
              className="secondary"
              disabled={revoking.fetching}
              onClick={() => revoke({ teamId, inviteId: i.id }, { additionalTypenames: ['Invite'] })}
            >
              Revoke
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage error={revoking.error} />
    </div>
  );
}
