import { SharedRunPage } from '../../../features/share/SharedRunPage.tsx';

export default async function ShareRoute({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <SharedRunPage token={token} />;
}
