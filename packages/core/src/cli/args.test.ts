import { describe, expect, it } from 'vitest';
import { parseArgs, parseNumber, splitPair } from './args.ts';

const spec = {
  model: { kind: 'string', required: true, accepts: 'a model.json path' },
  method: { kind: 'choice', values: ['a', 'b'] },
  steps: { kind: 'integer', min: 1, max: 1_000_000 },
  lr: { kind: 'number', min: 0, exclusiveMin: true },
  quiet: { kind: 'boolean' },
} as const;

const parse = (argv: string[]) => parseArgs(argv, spec, 'argmax test');

describe('parseArgs', () => {
  it('reads typed values, --flag=value, switches, and leaves optional flags undefined', () => {
    const args = parse(['--model', 'm.json', '--steps=20', '--lr', '1e-3', '--quiet']);
    expect(args).toEqual({ model: 'm.json', steps: 20, lr: 0.001, quiet: true });
    const typed: { model: string; steps?: number; quiet: boolean } = args;
    expect(typed.model).toBe('m.json');
    expect(parse(['--model', 'm.json'])).toEqual({ model: 'm.json', quiet: false });
  });

  it.each([
    [
      ['--model', 'm', '--bogus', '1'],
      /^option: received "--bogus"; expected one of --model, --method, --steps, --lr, --quiet \(see argmax test --help\)$/,
    ],
    [['--model', 'm', 'extra'], /^argument: received "extra"; expected one of --model/],
    [['--steps', '3'], /^--model: received undefined; expected a model.json path$/],
    [['--model'], /^--model: received undefined; expected a value after --model$/],
    [['--model', '--steps', '3'], /^--model: received undefined; expected a value after --model$/],
    [
      ['--model', 'm', '--model', 'n'],
      /^--model: received "n"; expected --model once \(it was already given "m"\)$/,
    ],
    [['--model', 'm', '--method', 'c'], /^--method: received "c"; expected one of a, b$/],
    [['--model', 'm', '--steps', '0'], /^--steps: received "0"; expected an integer from 1 to 1,000,000$/],
    [
      ['--model', 'm', '--steps', '2000000'],
      /^--steps: received "2000000"; expected an integer from 1 to 1,000,000$/,
    ],
    [['--model', 'm', '--steps', '2.5'], /^--steps: received "2.5"/],
    [['--model', 'm', '--steps', 'ten'], /^--steps: received "ten"/],
    [['--model', 'm', '--lr', '0'], /^--lr: received "0"; expected a finite number > 0$/],
    [['--model', 'm', '--lr', 'NaN'], /^--lr: received "NaN"/],
    [['--model', 'm', '--lr', 'Infinity'], /^--lr: received "Infinity"/],
    [['--model', 'm', '--quiet=yes'], /^--quiet: received "yes"; expected --quiet without a value$/],
    [['--model', ''], /^--model: received ""; expected a model.json path$/],
  ])('rejects %j with one line naming the argument', (argv, message) => {
    expect(() => parse(argv)).toThrow(message);
  });

  it('takes negative numbers as values', () => {
    const args = parseArgs(['--x', '-1.5'], { x: { kind: 'number' } }, 'test');
    expect(args.x).toBe(-1.5);
  });
});

describe('parseNumber and splitPair', () => {
  it('accepts decimal numbers only', () => {
    expect([parseNumber('1'), parseNumber('-0.5'), parseNumber('.5'), parseNumber('2e-3')]).toEqual([
      1, -0.5, 0.5, 0.002,
    ]);
    for (const bad of ['', ' ', '0x10', 'Infinity', 'NaN', '1,5', '1 2']) expect(parseNumber(bad)).toBeNaN();
  });

  it('splits at the last comma so paths may hold commas', () => {
    expect(splitPair('a,b.json,0.1', '--linf', 'REF.json,EPS')).toEqual(['a,b.json', '0.1']);
    expect(() => splitPair('0.1', '--box', 'LO,HI')).toThrow(/^--box: received "0.1"; expected LO,HI$/);
    expect(() => splitPair('0,', '--box', 'LO,HI')).toThrow(/^--box: /);
  });
});
