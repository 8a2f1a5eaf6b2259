import { RequireViewer } from '../../../features/auth/RequireViewer.tsx';
import { CreateTeamForm } from '../../../features/teams/CreateTeamForm.tsx';

export default function NewTeamPage() {
  return (
    <RequireViewer>
      <CreateTeamForm />
    </RequireViewer>
  );
}
