import { graphql } from '../../graphql/graphql.ts';

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
