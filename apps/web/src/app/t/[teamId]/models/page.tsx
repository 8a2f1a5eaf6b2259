import { RequireViewer } from '../../../../features/auth/RequireViewer.tsx';
import { ModelsPage } from '../../../../features/models/ModelsPage.tsx';

export default async function Route({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  return (
    <RequireViewer>
      <ModelsPage teamId={teamId} />
    </RequireViewer>
  );
}
