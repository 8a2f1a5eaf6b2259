'use client';

import { useMutation } from 'urql';
import { graphql } from '../../graphql/graphql.ts';

const SignOutMutation = graphql(`
  mutation SignOut {
    signOut
  }
`);

export function SignOutButton() {
  const [state, signOut] = useMutation(SignOutMutation);
  return (
    <button
      type="button"
      className="link-button"
      disabled={state.fetching}
      onClick={async () => {
        await signOut({});
        window.location.assign('/signin');
      }}
    >
      Sign out
    </button>
  );
}
