import { InvalidArgumentError } from '../errors.ts';

/** What one `--flag` accepts. Numbers are checked here, so commands get values they can use. */
export type FlagSpec =
  | { kind: 'string'; required?: boolean; accepts?: string }
  | { kind: 'choice'; values: readonly string[]; required?: boolean }
  | { kind: 'integer'; min: number; max: number; required?: boolean }
  | { kind: 'number'; min?: number; max?: number; exclusiveMin?: boolean; required?: boolean }
  /** A switch without a value. */
  | { kind: 'boolean' };

type ValueOf<S extends FlagSpec> = S extends { kind: 'integer' | 'number' }
  ? number
  : S extends { kind: 'boolean' }
    ? boolean
    : string;

type IsRequired<S extends FlagSpec> = S extends { required: true } ? true : false;

/** Parsed flags: required ones always present, booleans always defined, the rest optional. */
export type ParsedArgs<Spec extends Record<string, FlagSpec>> = {
  [K in keyof Spec as IsRequired<Spec[K]> extends true
    ? K
    : Spec[K] extends { kind: 'boolean' }
      ? K
      : never]: ValueOf<Spec[K]>;
} & {
  [K in keyof Spec as IsRequired<Spec[K]> extends true
    ? never
    : Spec[K] extends { kind: 'boolean' }
      ? never
      : K]?: ValueOf<Spec[K]>;
};

/**
 * Strict parsing of `--flag value` / `--flag=value` arguments against `spec` (keys are the flags
 * without `--`). Unknown flags, positional arguments, repeated flags, missing or malformed values all
 * throw InvalidArgumentError naming the flag, what was received and what is accepted.
 */
export function parseArgs<Spec extends Record<string, FlagSpec>>(
  argv: readonly string[],
  spec: Spec,
  /** How the user runs the command, for the help hint: `argmax optimize`, `npm run bench --`. */
  command: string,
): ParsedArgs<Spec> {
  const names = Object.keys(spec).map((k) => `--${k}`);
  const seen = new Map<string, string>();
  const result: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const key = name.slice(2);
    const flag = name.startsWith('--') ? spec[key] : undefined;
    if (!flag) {
      throw new InvalidArgumentError(
        name.startsWith('-') ? 'option' : 'argument',
        name,
        `one of ${names.join(', ')} (see ${command} --help)`,
      );
    }
    let text: string | undefined;
    if (flag.kind === 'boolean') {
      if (eq > 0) throw new InvalidArgumentError(name, arg.slice(eq + 1), `${name} without a value`);
    } else {
      text = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
      if (eq < 0) {
        // A following flag is not a value (negative numbers such as -1 still are).
        if (text === undefined || text.startsWith('--')) text = undefined;
        else i++;
      }
      if (text === undefined) throw new InvalidArgumentError(name, undefined, `a value after ${name}`);
    }
    if (seen.has(name)) {
      throw new InvalidArgumentError(
        name,
        text ?? name,
        `${name} once (it was already given${seen.get(name) ? ` ${JSON.stringify(seen.get(name))}` : ''})`,
      );
    }
    seen.set(name, text ?? '');
    result[key] = flag.kind === 'boolean' ? true : convert(name, text!, flag);
  }
  for (const [key, flag] of Object.entries(spec)) {
    if (flag.kind === 'boolean') result[key] ??= false;
    else if (flag.required && !(key in result)) {
      throw new InvalidArgumentError(`--${key}`, undefined, accepted(flag));
    }
  }
  return result as ParsedArgs<Spec>;
}

function convert(name: string, text: string, flag: Exclude<FlagSpec, { kind: 'boolean' }>): string | number {
  switch (flag.kind) {
    case 'string':
      if (text === '') throw new InvalidArgumentError(name, text, accepted(flag));
      return text;
    case 'choice':
      if (!flag.values.includes(text)) throw new InvalidArgumentError(name, text, accepted(flag));
      return text;
    case 'integer': {
      const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < flag.min || value > flag.max) {
        throw new InvalidArgumentError(name, text, accepted(flag));
      }
      return value;
    }
    case 'number': {
      const value = parseNumber(text);
      const { min, max, exclusiveMin } = flag;
      if (
        !Number.isFinite(value) ||
        (min !== undefined && (exclusiveMin ? value <= min : value < min)) ||
        (max !== undefined && value > max)
      ) {
        throw new InvalidArgumentError(name, text, accepted(flag));
      }
      return value;
    }
  }
}

/** The accepted form of a flag's value, as error messages and help texts say it. */
export function accepted(flag: FlagSpec): string {
  switch (flag.kind) {
    case 'string':
      return flag.accepts ?? 'a non-empty value';
    case 'choice':
      return `one of ${flag.values.join(', ')}`;
    case 'integer':
      return `an integer from ${flag.min.toLocaleString('en-US')} to ${flag.max.toLocaleString('en-US')}`;
    case 'number': {
      const { min, max, exclusiveMin } = flag;
      if (min !== undefined && max !== undefined) return `a number from ${min} to ${max}`;
      if (min !== undefined) return `a finite number ${exclusiveMin ? '>' : '≥'} ${min}`;
      if (max !== undefined) return `a finite number ≤ ${max}`;
      return 'a finite number';
    }
    case 'boolean':
      return 'no value';
  }
}

/** A finite decimal number, or NaN: unlike Number(), rejects '', ' ', '0x10' and 'Infinity'. */
export function parseNumber(text: string): number {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(text) ? Number(text) : Number.NaN;
}

/**
 * Splits `A,B` at the last comma (file paths may contain commas; numbers never do), e.g. `--box 0,1`
 * or `--linf ref.json,0.1`. Throws naming `flag` when there is no comma or either side is empty.
 */
export function splitPair(text: string, flag: string, form: string): [string, string] {
  const at = text.lastIndexOf(',');
  if (at <= 0 || at === text.length - 1) throw new InvalidArgumentError(flag, text, form);
  return [text.slice(0, at), text.slice(at + 1)];
}
