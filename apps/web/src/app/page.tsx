import { HomeRedirect } from '../features/auth/HomeRedirect.tsx';

export default function HomePage() {
  return <HomeRedirect />;
}
