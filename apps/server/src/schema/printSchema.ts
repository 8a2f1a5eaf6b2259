import { writeFileSync } from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from './index.ts';

/** Writes schema.graphql (the contract the dashboard's types are generated from). */
export const printedSchema = () => `${printSchema(lexicographicSortSchema(buildSchema()))}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = new URL('../../schema.graphql', import.meta.url);
  writeFileSync(out, printedSchema());
  console.log(`wrote ${out.pathname}`);
}
