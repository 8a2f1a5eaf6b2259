import { graphql } from '../../graphql/graphql.ts';

export const StartRunMutation = graphql(`
  mutation StartRun($teamId: ID!, $modelId: ID!, $input: StartRunInput!) {
    startRun(teamId: $teamId, modelId: $modelId, input: $input) {
      id
      status
    }
  }
`);
