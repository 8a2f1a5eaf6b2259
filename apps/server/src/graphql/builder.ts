import SchemaBuilder from '@pothos/core';
import type { ApiContext } from '../context.ts';

/**
 * The one Pothos builder. It defines no types: each domain file in this folder adds its own, and
 * `index.ts` imports them all and prints the schema. Authorization: every root resolver that returns team
 * data loads it through a check of the caller's role (`access.ts`) and tags it with how the caller reached
 * it; the fields below are then read as `visibility/policy.ts` allows that access.
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
