import {
  buildClientSchema,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  getIntrospectionQuery,
  getNamedType,
  type IntrospectionQuery,
  isCompositeType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';
import type { ApiClient } from './apiClient.ts';

/**
 * Walks the API's schema as any client sees it (introspection over HTTP), so a test that asks for "every
 * field below X" also asks for fields added after it was written.
 */
export async function introspectedSchema(client: ApiClient): Promise<GraphQLSchema> {
  return buildClientSchema(await client.data<IntrospectionQuery>(getIntrospectionQuery()));
}

/** Values for required arguments, by "Type.field", e.g. { 'Run.snapshot': '(step: 0)' }. */
export type RequiredArgs = Record<string, string>;

/** A field reachable below a root field: `via` is the selection path from the root field to its parent. */
export interface ReachableField {
  type: string;
  field: string;
  /** The field as selected, with its required arguments. */
  call: string;
  via: string[];
  /** Its named type is an object or union (so selecting it needs a sub-selection). */
  composite: boolean;
}

function call(type: string, field: GraphQLField<unknown, unknown>, args: RequiredArgs): string {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  if (required.length === 0) return field.name;
  const given = args[`${type}.${field.name}`];
  if (!given) throw new Error(`${type}.${field.name} needs arguments: add them to the test's RequiredArgs`);
  return `${field.name}${given}`;
}

/** Every field of every type reachable from `rootType.rootField`'s result, each by the first path found. */
export function reachableFields(
  schema: GraphQLSchema,
  rootType: 'Query' | 'Subscription',
  rootField: string,
  args: RequiredArgs,
): ReachableField[] {
  const root = schema.getType(rootType);
  if (!isObjectType(root)) throw new Error(`no ${rootType} type`);
  const start = root.getFields()[rootField];
  if (!start) throw new Error(`no ${rootType}.${rootField}`);
  const out: ReachableField[] = [];
  const visited = new Set<string>();
  const queue: { type: GraphQLCompositeType; via: string[] }[] = [
    { type: getNamedType(start.type) as GraphQLCompositeType, via: [] },
  ];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { type, via } = next;
    if (visited.has(type.name)) continue;
    visited.add(type.name);
    if (isUnionType(type)) {
      for (const member of type.getTypes())
        queue.push({ type: member, via: [...via, `... on ${member.name}`] });
      continue;
    }
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      const selected = call(type.name, field, args);
      out.push({
        type: type.name,
        field: field.name,
        call: selected,
        via,
        composite: isCompositeType(named),
      });
      if (isCompositeType(named)) queue.push({ type: named, via: [...via, selected] });
    }
  }
  return out;
}

/** A selection of one reachable field, nested from the root field's selection set down. */
export const selectOne = (reached: ReachableField): string =>
  reached.via.reduceRight(
    (inner, step) => `${step} { ${inner} }`,
    reached.composite ? `${reached.call} { __typename }` : reached.call,
  );

/** A selection of every field below `typeName`, whatever its depth (a type met again is cut to __typename). */
export function selectAll(
  schema: GraphQLSchema,
  typeName: string,
  args: RequiredArgs,
  outer: string[] = [],
): string {
  const type = schema.getType(typeName);
  if (isUnionType(type))
    return `__typename ${type
      .getTypes()
      .map((m) => `... on ${m.name} { ${selectAll(schema, m.name, args, [...outer, typeName])} }`)
      .join(' ')}`;
  if (!isObjectType(type)) throw new Error(`${typeName} is no object or union type`);
  return Object.values(type.getFields())
    .map((field) => {
      const named = getNamedType(field.type);
      const selected = call(typeName, field, args);
      if (!isCompositeType(named)) return selected;
      if (outer.includes(named.name)) return `${selected} { __typename }`;
      return `${selected} { ${selectAll(schema, named.name, args, [...outer, typeName])} }`;
    })
    .join(' ');
}
