import { graphql } from '../../graphql/graphql.ts';
import { RunSpecFieldsFragment } from './runSpecText.ts';

/**
 * What the run page shows that does not stream, as far as a share link may see it (the server's
 * visibility rules): no team, no model internals, the creator's display name only.
 */
// The spec is selected beside these fragments, not inside them: a fragment in a fragment counts twice
// against the server's query depth limit.
export const SharedRunFieldsFragment = graphql(`
  fragment SharedRunFields on Run @_unmask {
    id
    status
    error
    method
    createdAt
    startedAt
    finishedAt
    inputShape
    value
    violation
    outputs
    certificate {
      status
      region
      timeLimitSeconds
      bestValue
      upperBound
      gap
      proven
      method
      reason
      seconds
      history {
        seconds
        upperBound
        bestValue
        gap
        method
      }
    }
    stepCount
    snapshotSteps
    bestImage
    budget {
      seconds
      steps
      restarts
      secondsPerStep
    }
    realism {
      targetClass
      judgesAgreeing
      realistic
      nearest {
        index
        label
        distance
        percentile
        image
      }
      manifold {
        distance
        percentile
      }
      judges {
        name
        label
        probability
      }
      criteria {
        nearest
        manifold
        judges
        nearestLow
        nearestHigh
        manifoldHigh
      }
      frontier {
        t
        value
        nearestPercentile
        manifoldPercentile
        realistic
        image
      }
    }
    accentuation {
      anchorIndex
      anchorImage
      anchorValue
      centreValue
      improved
    }
    prototypes {
      value
      image
      nearestPercentile
      manifoldPercentile
      judgesAgreeing
      realistic
    }
    model {
      name
      classNames
      outputCount
    }
    creator {
      displayName
    }
  }
`);

/** The same for a team member, who also sees the team, the backend and the creator's e-mail. */
export const RunFieldsFragment = graphql(
  `
  fragment RunFields on Run @_unmask {
    ...SharedRunFields
    teamId
    backend
    timings
    model {
      id
    }
    creator {
      id
      email
    }
  }
`,
  [SharedRunFieldsFragment],
);

export const RunQuery = graphql(
  `
  query Run($id: ID!) {
    run(id: $id) {
      ...RunFields
      spec {
        ...RunSpecFields
      }
    }
  }
`,
  [RunFieldsFragment, RunSpecFieldsFragment],
);

export const SharedRunQuery = graphql(
  `
  query SharedRun($token: String!) {
    sharedRun(token: $token) {
      ...SharedRunFields
      spec {
        ...RunSpecFields
      }
    }
  }
`,
  [SharedRunFieldsFragment, RunSpecFieldsFragment],
);

export const RunEventsSubscription = graphql(`
  subscription RunEvents($runId: ID!, $shareToken: String) {
    runEvents(runId: $runId, shareToken: $shareToken) {
      __typename
      ... on RunStatusEvent {
        status
        error
        priorProgress
        priorStage
      }
      ... on RunStepEvent {
        step
        steps
        restarts
        objective
        violation
        outputs
        image
      }
      ... on RunBoundEvent {
        index
        certificateStatus
        upperBound
        bestValue
        gap
        method
        seconds
        proven
        reason
      }
    }
  }
`);

export const RunSnapshotQuery = graphql(`
  query RunSnapshot($id: ID!, $step: Int!) {
    run(id: $id) {
      id
      snapshot(step: $step) {
        step
        image
      }
    }
  }
`);

export const SharedRunSnapshotQuery = graphql(`
  query SharedRunSnapshot($token: String!, $step: Int!) {
    sharedRun(token: $token) {
      id
      snapshot(step: $step) {
        step
        image
      }
    }
  }
`);

/** Stored scalars of a run, every `every`-th step (thinned so a long run stays a few hundred points). */
export const RunCurveQuery = graphql(`
  query RunCurve($id: ID!, $every: Int!) {
    run(id: $id) {
      id
      steps(every: $every, limit: 2000) {
        step
        objective
      }
    }
  }
`);

export const SharedRunCurveQuery = graphql(`
  query SharedRunCurve($token: String!, $every: Int!) {
    sharedRun(token: $token) {
      id
      steps(every: $every, limit: 2000) {
        step
        objective
      }
    }
  }
`);
