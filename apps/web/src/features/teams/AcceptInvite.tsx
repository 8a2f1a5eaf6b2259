'use client';

import { useRouter } from 'next/navigation';
import { useMutation, useQuery } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { Loading } from '../../components/common/Loading.tsx';
import { graphql } from '../../graphql/graphql.ts';

const InviteQuery = graphql(`
  query InvitePreview($token: String!) {
    invite(token: $token) {
      teamName
      email
      role
      usable
    }
  }
`);

const AcceptInviteMutation = graphql(`
  mutation AcceptInvite($token: String!) {
    acceptInvite(token: $token) {
      id
      name
      myRole
    }
  }
`);

export function AcceptInvite({ token }: { token: string }) {
  const router = useRouter();
  const [{ data, fetching, error }] = useQuery({ query: InviteQuery, variables: { token } });
  const [accepting, accept] = useMutation(AcceptInviteMutation);
  if (fetching && !data) return <Loading what="the invite" />;
  if (error) return <ErrorMessage error={error} />;
  const invite = data?.invite;
  if (!invite) return null;
  return (
    <div className="card narrow stack">
      <h1>Join {invite.teamName}</h1>
      <p>
        This invite for <strong>{invite.email}</strong> makes you a{' '}
        <strong>{invite.role.toLowerCase()}</strong> of the team.
      </p>
      {invite.usable ? (
        <button
          type="button"
          disabled={accepting.fetching}
          onClick={async () => {
            const result = await accept({ token }, { additionalTypenames: ['Team'] });
            if (result.data) router.push(`/t/${result.data.acceptInvite.id}/team`);
          }}
        >
          Accept invite
        </button>
      ) : (
        <p className="error">This invite was already used, revoked or has expired. Ask for a new one.</p>
      )}
      <ErrorMessage error={accepting.error} />
    </div>
  );
}
