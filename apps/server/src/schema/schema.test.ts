import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchema } from './printSchema.ts';

describe('schema.graphql', () => {
  it('is the printed schema: run `npm run schema:print -w @argmax/server` after an API change and review the diff', () => {
    const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(printedSchema()).toBe(committed);
  });
});
