import printed from '../../graphql/runInputRules.json';

/**
 * The server's rules for a run request's number fields and its defaults, printed from the server's one
 * table (`npm run schema:print -w @argmax/server` writes `graphql/runInputRules.json`, and a server test
 * checks the copy is current), so the form checks what it can as it is typed, with the server's words.
 */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  positive?: boolean;
}

export type RulePath = keyof typeof printed.rules;

const rules: Record<RulePath, NumberRule> = printed.rules;
export const runInputDefaults = printed.defaults;

/** The server's message for `value` in field `path`, or null when it keeps the field's rule. */
export function breaksRule(path: RulePath, value: number): string | null {
  const rule = rules[path];
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (rule.integer && !Number.isInteger(value)) return 'must be a whole number';
  if (rule.positive && value <= 0) return 'must be > 0';
  if (rule.min !== undefined && value < rule.min) return `must be ≥ ${rule.min}`;
  if (rule.max !== undefined && value > rule.max) return `must be ≤ ${rule.max}`;
  return null;
}
