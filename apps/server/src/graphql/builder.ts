import SchemaBuilder from '@pothos/core';
import type { ApiContext } from './apiContext.ts';

/**
 * The one Pothos builder. It defines no types: each domain adds its own from its folder
 * (`runs/runTypes.ts`, `teams/teamTypes.ts`, ...), and `schema/index.ts` imports them all and builds the
 * schema. Authorization: every root resolver that returns team data loads it through a check of the
 * caller's role (`access.ts`) and tags it with how the caller reached it; the fields below are then read as
 * `visibility/policy.ts` allows that access.
 */
export const builder = new SchemaBuilder<{
  Context: ApiContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    File: { Input: File; Output: never };
  };
}>({
  defaultFieldNullability: false,
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

/** The builder's types, for helpers that declare fields shared by several object types. */
export type ApiTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;
