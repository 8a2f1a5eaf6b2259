'use client';

import { useState } from 'react';
import { useMutation } from 'urql';
import { CopyField } from '../../components/common/CopyField.tsx';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { graphql } from '../../graphql/graphql.ts';

const CreateShareLinkMutation = graphql(`
  mutation CreateShareLink($runId: ID!) {
    createShareLink(runId: $runId) {
      token
      link {
        id
      }
    }
  }
`);

/** Makes a read-only link anyone can open without an account, and copies it. */
export function ShareLinkButton({ runId }: { runId: string }) {
  const [state, create] = useMutation(CreateShareLinkMutation);
  const [url, setUrl] = useState<string | null>(null);
  return (
    <div className="stack">
      <div>
        <button
          type="button"
          className="secondary"
          disabled={state.fetching}
          onClick={async () => {
            const result = await create({ runId });
            if (!result.data) return;
            const link = `${window.location.origin}/share/${result.data.createShareLink.token}`;
            setUrl(link);
            await navigator.clipboard?.writeText(link).catch(() => {});
          }}
        >
          Copy share link
        </button>
      </div>
      {url ? <CopyField label="Share link (read-only, no account needed)" value={url} /> : null}
      <ErrorMessage error={state.error} />
    </div>
  );
}
