import { graphql } from '../../graphql/graphql.ts';

export const TeamQuery = graphql(`
  query Team($id: ID!) {
    team(id: $id) {
      id
      name
      myRole
      members {
        role
        user {
          id
          email
          displayName
        }
      }
    }
    me {
      id
    }
  }
`);

export const TeamInvitesQuery = graphql(`
  query TeamInvites($id: ID!) {
    team(id: $id) {
      id
      invites {
        id
        email
        role
        expiresAt
      }
    }
  }
`);
