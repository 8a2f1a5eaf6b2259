'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { splitByField } from '../../api/apiProblems.ts';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { FieldError } from '../../components/common/FieldError.tsx';
import { graphql } from '../../graphql/graphql.ts';

const CreateTeamMutation = graphql(`
  mutation CreateTeam($name: String!) {
    createTeam(name: $name) {
      id
      name
      myRole
    }
  }
`);

export function CreateTeamForm() {
  const router = useRouter();
  const [state, createTeam] = useMutation(CreateTeamMutation);
  const [local, setLocal] = useState<string | undefined>();
  const { fields, general } = splitByField(state.error);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
    setLocal(name ? undefined : 'must not be empty');
    if (!name) return;
    // `teams` lists are refetched through the Team typename the mutation returns.
    const result = await createTeam({ name }, { additionalTypenames: ['Team'] });
    if (result.data) router.push(`/t/${result.data.createTeam.id}/team`);
  };
  return (
    <form className="card narrow stack" onSubmit={submit} noValidate>
      <h1>New team</h1>
      <label>
        Name
        <input
          name="name"
          maxLength={100}
          aria-invalid={Boolean(local ?? fields.name)}
          aria-describedby="name-error"
        />
        <FieldError id="name" message={local ?? fields.name} />
      </label>
      <ErrorMessage problems={general} />
      <button type="submit" disabled={state.fetching}>
        Create team
      </button>
    </form>
  );
}
