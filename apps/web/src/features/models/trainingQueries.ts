import { graphql } from '../../graphql/graphql.ts';

export const TrainModelMutation = graphql(`
  mutation TrainModel(
    $teamId: ID!
    $name: String!
    $dataset: String
    $arch: String
    $epochs: Int
    $seed: Int
    $batchesPerEpoch: Int
  ) {
    trainModel(
      teamId: $teamId
      name: $name
      dataset: $dataset
      arch: $arch
      epochs: $epochs
      seed: $seed
      batchesPerEpoch: $batchesPerEpoch
    ) {
      id
      status
    }
  }
`);

export const TrainingJobsQuery = graphql(`
  query TrainingJobs($teamId: ID!) {
    trainingJobs(teamId: $teamId) {
      id
      status
      error
      spec
      createdAt
      finishedAt
      metrics
      model {
        id
        name
      }
    }
  }
`);

export const TrainingEventsSubscription = graphql(`
  subscription TrainingEvents($jobId: ID!) {
    trainingEvents(jobId: $jobId) {
      kind
      seq
      payload
    }
  }
`);

export const CancelTrainingMutation = graphql(`
  mutation CancelTraining($id: ID!) {
    cancelTraining(id: $id) {
      id
      status
    }
  }
`);
