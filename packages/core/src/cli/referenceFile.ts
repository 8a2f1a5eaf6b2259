import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../errors.ts';
import { decodeGreyPng } from '../image/decodePng.ts';

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

/**
 * A reference image for `flag` (e.g. --anchor): a grey PNG of the model's [H, W] size (bytes mapped
 * onto `box`), or a JSON reference as readReferenceFile reads it.
 */
export async function readReferenceImage(
  path: string,
  flag: string,
  shape: number[],
  box: readonly [number, number],
): Promise<number[]> {
  const size = shape.reduce((a, b) => a * b, 1);
  if (!/\.png$/i.test(path)) return readReferenceFile(path, flag, size, shape);
  const [height, width, channels = 1] = shape;
  if (shape.length > 3 || channels !== 1 || !height || !width)
    throw new InvalidArgumentError(flag, path, `a .json reference (a PNG needs a grey [H, W] input)`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InvalidArgumentError(
      flag,
      path,
      `a readable .png (cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    return Array.from(decodeGreyPng(bytes, { height, width }, box));
  } catch (error) {
    throw new InvalidArgumentError(flag, path, `a ${width}×${height} PNG (${(error as Error).message})`);
  }
}
