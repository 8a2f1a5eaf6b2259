'use client';

import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { splitByField } from '../../api/apiProblems.ts';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { FieldError } from '../../components/common/FieldError.tsx';
import { graphql } from '../../graphql/graphql.ts';
import { safeNextPath } from './safeNextPath.ts';

const SignUpMutation = graphql(`
  mutation SignUp($email: String!, $password: String!, $displayName: String) {
    signUp(email: $email, password: $password, displayName: $displayName) {
      id
    }
  }
`);

const SignInMutation = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) {
      id
    }
  }
`);

/** Sign-up and sign-in share one form; `mode` picks the mutation and the extra name field. */
export function AuthForm({ mode, next }: { mode: 'signUp' | 'signIn'; next: string | null }) {
  const [signUpState, signUp] = useMutation(SignUpMutation);
  const [signInState, signIn] = useMutation(SignInMutation);
  const state = mode === 'signUp' ? signUpState : signInState;
  const [local, setLocal] = useState<Record<string, string>>({});
  const { fields, general } = splitByField(state.error);
  const errors = { ...fields, ...local };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const problems: Record<string, string> = {};
    if (!email.includes('@')) problems.email = 'must be an email address';
    if (mode === 'signUp' && password.length < 8) problems.password = 'must have at least 8 characters';
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    const result =
      mode === 'signUp'
        ? await signUp({ email, password, displayName: String(form.get('displayName') ?? '').trim() || null })
        : await signIn({ email, password });
    // A full navigation: the new session cookie must reach a fresh client and WebSocket.
    if (!result.error) window.location.assign(safeNextPath(next) ?? '/');
  };

  return (
    <form className="card narrow stack" onSubmit={submit} noValidate>
      <h1>{mode === 'signUp' ? 'Create your account' : 'Sign in'}</h1>
      {mode === 'signUp' ? (
        <label>
          Name
          <input name="displayName" autoComplete="name" maxLength={100} />
        </label>
      ) : null}
      <label>
        Email
        <input
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-invalid={Boolean(errors.email)}
          aria-describedby="email-error"
        />
        <FieldError id="email" message={errors.email} />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete={mode === 'signUp' ? 'new-password' : 'current-password'}
          required
          aria-invalid={Boolean(errors.password)}
          aria-describedby="password-error"
        />
        <FieldError id="password" message={errors.password} />
      </label>
      <ErrorMessage problems={general} />
      <button type="submit" disabled={state.fetching}>
        {state.fetching ? 'Please wait…' : mode === 'signUp' ? 'Sign up' : 'Sign in'}
      </button>
      <p className="muted">
        {mode === 'signUp' ? (
          <>
            Have an account? <Link href="/signin">Sign in</Link>
          </>
        ) : (
          <>
            New here? <Link href="/signup">Create an account</Link>
          </>
        )}
      </p>
    </form>
  );
}
