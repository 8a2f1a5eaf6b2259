import { ArgmaxError } from '../errors.ts';

/**
 * A model file could not be imported: unreadable container, inconsistent config and weights, a size
 * over a limit. `file` names what the user gave (a file name, never a temp path); the message says
 * what was wrong, what was found and what is accepted.
 */
export class ModelImportError extends ArgmaxError {
  override name = 'ModelImportError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}
