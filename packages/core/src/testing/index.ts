/**
 * `@argmax/core/testing`: the test helpers other packages' tests and benchmarks share with core's own
 * tests, so both build the same inputs. Product code never imports them.
 */

export { type BadModelFile, badModelFiles } from './badModelFiles.ts';
export { feasibleSetFor, linearDomainFor } from './feasibleSets.ts';
export { type RandomReluMlpOptions, randomReluMlp } from './randomReluMlp.ts';
