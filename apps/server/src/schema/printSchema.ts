import { writeFileSync } from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { crossFieldRules, runInputDefaults, runInputRules } from '../runs/runInputRules.ts';
import { buildSchema } from './index.ts';

/** schema.graphql: the contract the dashboard's types are generated from. */
export const printedSchema = () => `${printSchema(lexicographicSortSchema(buildSchema()))}\n`;

/** The run form's field rules, the rules between fields, and defaults, as the dashboard reads them (`runs/runInputRules.ts`). */
export const printedRunInputRules = () =>
  `${JSON.stringify({ rules: runInputRules, crossFieldRules, defaults: runInputDefaults }, null, 2)}\n`;

export const schemaFile = new URL('../../schema.graphql', import.meta.url);
export const runInputRulesFile = new URL('../../../web/src/graphql/runInputRules.json', import.meta.url);

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(schemaFile, printedSchema());
  writeFileSync(runInputRulesFile, printedRunInputRules());
  console.log(`wrote ${schemaFile.pathname} and ${runInputRulesFile.pathname}`);
}
