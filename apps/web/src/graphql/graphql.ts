import { initGraphQLTada } from 'gql.tada';
import type { introspection } from './graphql-env.d.ts';

/**
 * Typed documents: result and variable types come from the API's schema.graphql (via `npm run codegen`),
 * never written by hand.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; JSON: unknown; ID: string; File: File };
}>();
