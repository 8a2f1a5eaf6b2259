import { graphql } from '../../graphql/graphql.ts';

/** Who is signed in (null when nobody) and the teams they belong to. */
export const ViewerQuery = graphql(`
  query Viewer {
    me {
      id
      email
      displayName
    }
  }
`);

export const MyTeamsQuery = graphql(`
  query MyTeams {
    teams {
      id
      name
      myRole
    }
  }
`);
