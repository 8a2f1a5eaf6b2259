import type { z } from 'zod';
import { badInput } from './errors.ts';

/** Validates at the schema edge: the first problem becomes BAD_USER_INPUT naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.join('.') : 'input';
  throw badInput(field, issue.message);
}
