import type * as tfl from '@tensorflow/tfjs-layers';
import { ArgmaxError, InvalidArgumentError } from '../errors.ts';
import { openModelFile } from '../models/openModelFile.ts';

/** What every command's `--model` accepts, for help texts and argument errors. */
export const modelArgument = {
  kind: 'string',
  required: true,
  accepts: 'a .keras, .h5 or TF.js model.json path (or its folder)',
} as const;

/**
 * Opens `--model` for any command (one loading path: openModelFile); a file that cannot be used is
 * bad input, reported as one line naming the argument, what was given and why it was refused.
 */
export async function openModelArgument(path: string): Promise<tfl.LayersModel> {
  return openModelFile(path).catch((error: unknown) => {
    if (error instanceof ArgmaxError && !(error instanceof InvalidArgumentError))
      throw new InvalidArgumentError(
        '--model',
        path,
        `a readable .keras, .h5 or TF.js model.json (${error.message.split('\n')[0]})`,
      );
    throw error;
  });
}
