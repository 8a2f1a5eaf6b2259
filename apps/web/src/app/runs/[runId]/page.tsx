import { RequireViewer } from '../../../features/auth/RequireViewer.tsx';
import { RunPage } from '../../../features/live/RunPage.tsx';

export default async function LiveRunRoute({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  return (
    <RequireViewer>
      <RunPage runId={runId} />
    </RequireViewer>
  );
}
