import { RequireViewer } from '../../../../features/auth/RequireViewer.tsx';
import { NewRunPage } from '../../../../features/runs/NewRunPage.tsx';

export default async function Route({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  return (
    <RequireViewer>
      <NewRunPage teamId={teamId} />
    </RequireViewer>
  );
}
