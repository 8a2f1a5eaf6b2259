import { AuthForm } from '../../features/auth/AuthForm.tsx';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return <AuthForm mode="signIn" next={next ?? null} />;
}
