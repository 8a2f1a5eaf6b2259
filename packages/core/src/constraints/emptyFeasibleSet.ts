import { InvalidArgumentError } from '../errors.ts';

/** The constraints admit no input at all: reported up front instead of optimising. */
export class EmptyFeasibleSetError extends InvalidArgumentError {
  override name = 'EmptyFeasibleSetError';
  constructor(why: string) {
    super('constraints', why, 'constraints that at least one input satisfies together');
  }
}
