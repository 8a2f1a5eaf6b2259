import { graphql } from '../../graphql/graphql.ts';

/** The models a team can use (built-in first), with what the run form and model cards need. */
export const TeamModelsQuery = graphql(`
  query TeamModels($teamId: ID!) {
    models(teamId: $teamId) {
      id
      teamId
      name
      origin
      inputShape
      outputCount
      classNames
      dataset
      layerSummary
      parameterCount
      weightsBytes
      createdAt
    }
    system {
      seedModelId
    }
    team(id: $teamId) {
      id
      myRole
    }
  }
`);
