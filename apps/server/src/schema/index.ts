import type { GraphQLSchema } from 'graphql';
import { enforceVisibility } from '../visibility/enforceVisibility.ts';
import '../auth/userTypes.ts';
import { builder } from '../graphql/builder.ts';
import '../graphql/scalars.ts';
import '../models/modelTypes.ts';
import '../models/uploadTypes.ts';
import '../runs/priorSearchTypes.ts';
import '../runs/runTypes.ts';
import '../runs/shareTypes.ts';
import '../teams/teamTypes.ts';
import '../training/trainingTypes.ts';
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
