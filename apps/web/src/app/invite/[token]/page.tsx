import { RequireViewer } from '../../../features/auth/RequireViewer.tsx';
import { AcceptInvite } from '../../../features/teams/AcceptInvite.tsx';

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <RequireViewer>
      <AcceptInvite token={token} />
    </RequireViewer>
  );
}
