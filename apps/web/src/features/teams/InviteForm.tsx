'use client';

import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { splitByField } from '../../api/apiProblems.ts';
import { CopyField } from '../../components/common/CopyField.tsx';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { FieldError } from '../../components/common/FieldError.tsx';
import { graphql } from '../../graphql/graphql.ts';
import { ROLES, type Role } from './roles.ts';

const InviteMutation = graphql(`
  mutation InviteMember($teamId: ID!, $email: String!, $role: Role!) {
    inviteMember(teamId: $teamId, email: $email, role: $role) {
      token
      invite {
        id
        email
        role
      }
    }
  }
`);

export function InviteForm({ teamId }: { teamId: string }) {
  const [state, invite] = useMutation(InviteMutation);
  const [link, setLink] = useState<string | null>(null);
  const [local, setLocal] = useState<string | undefined>();
  const { fields, general } = splitByField(state.error);
  const emailError = local ?? fields.email;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    setLocal(email.includes('@') ? undefined : 'must be an email address');
    if (!email.includes('@')) return;
    setLink(null);
    const result = await invite(
      { teamId, email, role: String(form.get('role')) as Role },
      { additionalTypenames: ['Invite'] },
    );
    if (result.data) setLink(`${window.location.origin}/invite/${result.data.inviteMember.token}`);
  };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <div className="grid-2">
        <label>
          Email
          <input
            name="email"
            type="email"
            aria-invalid={Boolean(emailError)}
            aria-describedby="email-error"
          />
          <FieldError id="email" message={emailError} />
        </label>
        <label>
          Role
          <select name="role" defaultValue="MEMBER">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage problems={general} />
      <div>
        <button type="submit" disabled={state.fetching}>
          Create invite link
        </button>
      </div>
      {link ? <CopyField label="Invite link (shown once)" value={link} /> : null}
    </form>
  );
}
