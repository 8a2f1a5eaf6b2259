'use client';

import { useMutation } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { graphql } from '../../graphql/graphql.ts';

const CancelRunMutation = graphql(`
  mutation CancelRun($id: ID!) {
    cancelRun(id: $id) {
      id
      status
    }
  }
`);

export function CancelRunButton({ runId }: { runId: string }) {
  const [state, cancel] = useMutation(CancelRunMutation);
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={state.fetching}
        onClick={() => cancel({ id: runId })}
      >
        {state.fetching ? 'Cancelling…' : 'Cancel run'}
      </button>
      <ErrorMessage error={state.error} />
    </>
  );
}
