import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isObjectType,
} from 'graphql';
import { forbidden } from '../errors.ts';
import { describeAccess, mayRead, visibility } from './policy.ts';
import { accessOf, seenAs } from './seen.ts';

type Resolver = GraphQLFieldResolver<unknown, unknown>;

/**
 * Wraps every field of `schema` once: a root field must return objects tagged with the access its caller
 * has (`seenAs`); every other field is readable only as `policy.ts` allows for its parent's access, and
 * tags what it returns with that same access. Fails the build when a type has no rule or a rule names a
 * field that does not exist, so a new type cannot ship unruled.
 */
export function enforceVisibility(schema: GraphQLSchema): GraphQLSchema {
  const rootTypes = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  const roots = new Set(rootTypes.map((type) => type?.name));
  const objectTypes = Object.values(schema.getTypeMap()).filter(
    (type) => isObjectType(type) && !type.name.startsWith('__'),
  );
  for (const name of Object.keys(visibility))
    if (!objectTypes.some((type) => type.name === name))
      throw new Error(`visibility rule for ${name}, which is no object type of the schema`);

  for (const type of objectTypes) {
    if (!isObjectType(type)) continue;
    const fields = type.getFields();
    const isRoot = roots.has(type.name);
    const rule = visibility[type.name];
    if (!isRoot && !rule) throw new Error(`no visibility rule for type ${type.name} (visibility/policy.ts)`);
    for (const listed of Object.values(rule ?? {}))
      for (const name of listed === '*' ? [] : listed)
        if (!fields[name])
          throw new Error(`visibility rule names ${type.name}.${name}, which does not exist`);

    for (const field of Object.values(fields)) {
      const resolve = (field.resolve ?? defaultFieldResolver) as Resolver;
      const returnsObjects = isCompositeType(getNamedType(field.type));
      const where = `${type.name}.${field.name}`;
      field.resolve = isRoot
        ? (parent, args, ctx, info) => {
            const result = resolve(parent, args, ctx, info);
            return returnsObjects ? then(result, (value) => requireTagged(value, where)) : result;
          }
        : (parent, args, ctx, info) => {
            const access = accessOf(parent);
            if (!access) throw new Error(`${where} was reached without an access`);
            if (!mayRead(access, type.name, field.name))
              throw forbidden(`${where} is not visible to ${describeAccess(access)}`);
            const result = resolve(parent, args, ctx, info);
            return returnsObjects ? then(result, (value) => seenAs(access, value)) : result;
          };
    }
  }
  return schema;
}

/** Root resolvers say how their caller reached what they return; one that forgot is a bug, not a leak. */
function requireTagged<T>(value: T, where: string): T {
  if (Array.isArray(value)) for (const item of value) requireTagged(item, where);
  else if (value !== null && typeof value === 'object' && !accessOf(value))
    throw new Error(`${where} returned an object without an access (tag it with seenAs)`);
  return value;
}

const then = <T, U>(value: T | PromiseLike<T>, next: (value: T) => U): U | PromiseLike<U> =>
  value !== null && typeof (value as PromiseLike<T>)?.then === 'function'
    ? (value as PromiseLike<T>).then(next)
    : next(value as T);
