import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../errors.ts';

const form = 'a JSON file {"input": [finite numbers]}';

/**
 * Reads a reference input `{"input": [numbers]}` for `flag` (e.g. --linf) and checks it holds exactly
 * `size` finite numbers. Every problem is one InvalidArgumentError naming the flag and the file.
 */
export async function readReferenceFile(
  path: string,
  flag: string,
  size: number,
  shape: number[],
): Promise<number[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(
      flag,
      path,
      `${form} (cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const nonFinite = /\b(NaN|-?Infinity)\b/.test(text);
    throw new InvalidArgumentError(
      flag,
      path,
      nonFinite
        ? `${form}; it holds NaN or Infinity, which cannot be optimised around`
        : `${form}; it is not valid JSON`,
    );
  }
  const input = (json as { input?: unknown } | null)?.input;
  if (!Array.isArray(input)) throw new InvalidArgumentError(flag, path, `${form}; it has no "input" array`);
  const bad = input.filter((v) => typeof v !== 'number' || !Number.isFinite(v)).length;
  if (bad > 0) {
    throw new InvalidArgumentError(
      flag,
      path,
      `${form}; ${bad} of its values are not finite numbers (NaN, null, text)`,
    );
  }
  if (input.length !== size) {
    throw new InvalidArgumentError(
      flag,
      `${path} with ${input.length} values`,
      `${size} values, the model's input [${shape.join(', ')}]`,
    );
  }
  return input as number[];
}
