import { RequireViewer } from '../../../../features/auth/RequireViewer.tsx';
import { TeamPage } from '../../../../features/teams/TeamPage.tsx';

export default async function Route({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  return (
    <RequireViewer>
      <TeamPage teamId={teamId} />
    </RequireViewer>
  );
}
