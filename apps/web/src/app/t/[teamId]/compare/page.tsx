import { RequireViewer } from '../../../../features/auth/RequireViewer.tsx';
import { ComparePage } from '../../../../features/compare/ComparePage.tsx';

export default async function Route({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  return (
    <RequireViewer>
      <ComparePage teamId={teamId} />
    </RequireViewer>
  );
}
