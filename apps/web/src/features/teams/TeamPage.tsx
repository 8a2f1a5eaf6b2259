'use client';

import { useQuery } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { Loading } from '../../components/common/Loading.tsx';
import { InviteForm } from './InviteForm.tsx';
import { LeaveTeamButton } from './LeaveTeamButton.tsx';
import { MemberList } from './MemberList.tsx';
import { PendingInvites } from './PendingInvites.tsx';
import { canManage } from './roles.ts';
import { TeamQuery } from './teamQuery.ts';

export function TeamPage({ teamId }: { teamId: string }) {
  const [{ data, fetching, error }] = useQuery({ query: TeamQuery, variables: { id: teamId } });
  if (fetching && !data) return <Loading what="the team" />;
  if (error) return <ErrorMessage error={error} />;
  const team = data?.team;
  if (!team) return null;
  const owner = canManage(team.myRole);
  return (
    <div className="stack">
      <div className="row">
        <h1>{team.name}</h1>
        <span className="badge">you are {team.myRole.toLowerCase()}</span>
      </div>
      <section className="card stack">
        <h2>Members</h2>
        <MemberList teamId={team.id} members={team.members} myId={data.me?.id ?? null} canManage={owner} />
      </section>
      {owner ? (
        <section className="card stack">
          <h2>Invite someone</h2>
          <p className="muted small">No mail is sent: give the invitee the link that appears.</p>
          <InviteForm teamId={team.id} />
          <PendingInvites teamId={team.id} />
        </section>
      ) : (
        <p className="muted small">Only owners invite people and change roles.</p>
      )}
      <LeaveTeamButton teamId={team.id} teamName={team.name} />
    </div>
  );
}
