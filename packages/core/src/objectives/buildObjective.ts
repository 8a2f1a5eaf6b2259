import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.ts';
import type { HeadTensors, TappedNetwork } from '../network/modelTaps.ts';
import type { ObjectiveSpec } from '../spec/types.ts';
import { channelMean } from './channelMean.ts';
import { classLogit } from './classLogit.ts';
import { classProbability } from './classProbability.ts';
import { layerUnit } from './layerUnit.ts';
import { logProbability } from './logProbability.ts';
import { margin } from './margin.ts';
import type { ObjectiveTerm, TermContext } from './objectiveTerm.ts';
import { weightedSum } from './weightedSum.ts';

export interface ObjectiveEvaluation {
  /** `[B]` objective values (differentiable with respect to the input). */
  value: tf.Tensor1D;
  /** The model's outputs for reporting. */
  head: HeadTensors;
}

/** An objective bound to a network: a batched, differentiable function of flat inputs. */
export interface CompiledObjective {
  spec: ObjectiveSpec;
  network: TappedNetwork;
  /** `x`: `[B, inputSize]` (flat, the model's input order) or `[B, ...inputShape]`. */
  evaluate(x: tf.Tensor): ObjectiveEvaluation;
}

const kinds = ['logit', 'prob', 'logprob', 'margin', 'unit', 'channel', 'sum'] as const;

/** Validates `spec` against the network (indices, layer names) and compiles it. */
export function buildObjective(network: TappedNetwork, spec: ObjectiveSpec): CompiledObjective {
  const term = buildTerm(spec, { network, argument: 'objective' });
  const layers = new Set(term.layers);
  const shape = network.inputShape;
  return {
    spec,
    network,
    evaluate: (x) => {
      const flat = x.rank === 2;
      const input =
        x.rank === shape.length + 1 || (flat && network.acceptsFlat)
          ? x
          : tf.reshape(x, [x.shape[0]!, ...shape]);
      const taps = network.run(input, layers);
      return { value: term.value(taps), head: taps.head };
    },
  };
}

function buildTerm(spec: ObjectiveSpec, context: TermContext): ObjectiveTerm {
  switch (spec?.kind) {
    case 'logit':
      return classLogit(spec, context);
    case 'prob':
      return classProbability(spec, context);
    case 'logprob':
      return logProbability(spec, context);
    case 'margin':
      return margin(spec, context);
    case 'unit':
      return layerUnit(spec, context);
    case 'channel':
      return channelMean(spec, context);
    case 'sum':
      return weightedSum(spec, context, buildTerm);
    default:
      throw new InvalidArgumentError(
        `${context.argument}.kind`,
        (spec as { kind?: unknown } | undefined)?.kind,
        `one of ${kinds.join(', ')}`,
      );
  }
}
