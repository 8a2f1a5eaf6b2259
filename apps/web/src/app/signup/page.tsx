import { AuthForm } from '../../features/auth/AuthForm.tsx';

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return <AuthForm mode="signUp" next={next ?? null} />;
}
