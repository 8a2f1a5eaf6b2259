import { graphql } from '../../graphql/graphql.ts';
import { RunSpecFieldsFragment } from '../live/runSpecText.ts';

export const RunsQuery = graphql(
  `
  query Runs($teamId: ID!, $modelId: ID, $creatorId: ID, $status: [JobStatus!], $first: Int, $after: String) {
    runs(teamId: $teamId, modelId: $modelId, creatorId: $creatorId, status: $status, first: $first, after: $after) {
      items {
        id
        status
        createdAt
        value
        spec {
          ...RunSpecFields
        }
        bestImage
        model {
          id
          name
          classNames
        }
        creator {
          id
          email
          displayName
        }
      }
      nextCursor
    }
  }
`,
  [RunSpecFieldsFragment],
);

export const RunFiltersQuery = graphql(`
  query RunFilters($teamId: ID!) {
    models(teamId: $teamId) {
      id
      name
    }
    team(id: $teamId) {
      id
      myRole
      members {
        user {
          id
          email
          displayName
        }
      }
    }
  }
`);

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'INTERRUPTED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
