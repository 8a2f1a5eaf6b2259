import { RequireViewer } from '../../../../features/auth/RequireViewer.tsx';
import { RunsListPage } from '../../../../features/runs/RunsListPage.tsx';

export default async function Route({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  return (
    <RequireViewer>
      <RunsListPage teamId={teamId} />
    </RequireViewer>
  );
}
