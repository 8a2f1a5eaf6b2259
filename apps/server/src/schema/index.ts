import type { GraphQLSchema } from 'graphql';
import { enforceVisibility } from '../visibility/enforceVisibility.ts';
import { builder } from './builder.ts';
import './scalars.ts';
import './user.ts';
import './team.ts';
import './model.ts';
import './run.ts';
import './share.ts';
import './training.ts';
import './upload.ts';
import './system.ts';

let schema: GraphQLSchema | undefined;

/**
 * The whole API; each domain file above registers its own types and fields on the builder, and every field
 * is then read only as `visibility/policy.ts` allows.
 */
export function buildSchema(): GraphQLSchema {
  schema ??= enforceVisibility(builder.toSchema({ sortSchema: false }));
  return schema;
}
