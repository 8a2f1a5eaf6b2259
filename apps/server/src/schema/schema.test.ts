import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedRunInputRules, printedSchema, runInputRulesFile, schemaFile } from './printSchema.ts';

describe('schema.graphql', () => {
  it('is the printed schema: run `npm run schema:print -w @argmax/server` after an API change and review the diff', () => {
    const committed = readFileSync(schemaFile, 'utf8');
    expect(printedSchema()).toBe(committed);
  });

  it('the dashboard’s copy of the run form rules is the printed one (same command)', () => {
    expect(printedRunInputRules()).toBe(readFileSync(runInputRulesFile, 'utf8'));
  });
});
