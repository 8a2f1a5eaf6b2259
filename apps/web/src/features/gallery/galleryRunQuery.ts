import { graphql } from '../../graphql/graphql.ts';

/** What a gallery cell says of a finished run: its value, its certified bound, whether it looks real. */
export const GalleryRunQuery = graphql(`
  query GalleryRun($id: ID!) {
    run(id: $id) {
      id
      status
      value
      spec {
        prior
      }
      certificate {
        region
        upperBound
      }
      realism {
        realistic
      }
    }
  }
`);
