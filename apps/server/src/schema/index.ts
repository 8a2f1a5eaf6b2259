import type { GraphQLSchema } from 'graphql';
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

/** The whole API; each domain file above registers its own types and fields on the builder. */
export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: false });
  return schema;
}
