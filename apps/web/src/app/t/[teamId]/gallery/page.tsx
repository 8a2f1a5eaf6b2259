import { RequireViewer } from '../../../../features/auth/RequireViewer.tsx';
import { GalleryPage } from '../../../../features/gallery/GalleryPage.tsx';

export default async function Route({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  return (
    <RequireViewer>
      <GalleryPage teamId={teamId} />
    </RequireViewer>
  );
}
