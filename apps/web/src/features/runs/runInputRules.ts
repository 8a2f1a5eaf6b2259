import printed from '../../graphql/runInputRules.json';

/**
 * The server's rules for a run request's number fields, the rules between its fields, and its defaults, printed from the server's one
 * table (`npm run schema:print -w @argmax/server` writes `graphql/runInputRules.json`, and a server test
 * checks the copy is current), so the form checks what it can as it is typed, with the server's words.
 */
export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  positive?: boolean;
}

/** A condition on one input field, as the server's `runInputRules.ts` defines it (null counts as absent). */
interface FieldCondition {
  path: string;
  given?: boolean;
  oneOf?: readonly string[];
  noneOf?: readonly string[];
}

/** Where `when` holds, `requires` must too; without `requires`, the combination is refused. */
export interface CrossFieldRule {
  field: string;
  when: readonly FieldCondition[];
  requires?: readonly FieldCondition[];
  message: string;
}

export type RulePath = keyof typeof printed.rules;
export const crossFieldRules: Record<string, CrossFieldRule> = printed.crossFieldRules;

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

/** The server's cross-field rules that `input` (a run request) breaks, in the server's order. */
export function brokenCrossFieldRules(input: unknown): CrossFieldRule[] {
  return Object.values(crossFieldRules).filter(
    (rule) =>
      rule.when.every((c) => holds(c, input)) && !(rule.requires?.every((c) => holds(c, input)) ?? false),
  );
}

function holds(c: FieldCondition, input: unknown): boolean {
  const value = valueAt(input, c.path);
  if (c.given !== undefined && c.given !== (value !== undefined)) return false;
  if (c.oneOf && !(typeof value === 'string' && c.oneOf.includes(value))) return false;
  if (c.noneOf && typeof value === 'string' && c.noneOf.includes(value)) return false;
  return true;
}

/** The value at a dotted path, or undefined where it is absent or null. */
function valueAt(input: unknown, path: string): unknown {
  let value = input;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value ?? undefined;
}
