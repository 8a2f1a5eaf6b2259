import type { ResultOf } from 'gql.tada';
import type { RunFieldsFragment, SharedRunFieldsFragment } from './runQueries.ts';
import type { RunSpecFields } from './runSpecText.ts';

export type RunFields = ResultOf<typeof RunFieldsFragment>;
export type SharedRunFields = ResultOf<typeof SharedRunFieldsFragment>;

/** What the live view shows: a shared run's fields, plus what only a team member's page has. */
export type LiveRunFields = Omit<SharedRunFields, 'creator'> & {
  creator: { displayName: string | null; email?: string } | null;
  backend?: string | null;
  /** Queried beside the fragments (see runQueries.ts). */
  spec: RunSpecFields;
};
