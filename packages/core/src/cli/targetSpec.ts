import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.ts';
import type { ObjectiveSpec } from '../spec/types.ts';

export const targetForms = 'logit:K, prob:K, logprob:K, margin:K or unit:LAYER:INDEX';

/** `--target` text → objective: `logit:3`, `margin:0`, `unit:dense_1:17`, … */
export function parseTarget(text: string): ObjectiveSpec {
  const head = /^(logit|prob|logprob|margin):(\d+)$/.exec(text);
  if (head) return { kind: head[1] as 'logit' | 'prob' | 'logprob' | 'margin', index: Number(head[2]) };
  const unit = /^unit:(.+):(\d+)$/.exec(text);
  if (unit) return { kind: 'unit', layer: unit[1]!, index: Number(unit[2]) };
  throw new InvalidArgumentError('--target', text, targetForms);
}

/**
 * Checks the target against the model before any work: a class index within the model's outputs,
 * a layer that exists and a unit within its output.
 */
export function checkTarget(model: tfl.LayersModel, target: ObjectiveSpec, text: string): void {
  const sizeOf = (shape: (number | null)[]) => shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
  if (target.kind === 'unit') {
    const layer = model.layers.find((l) => l.name === target.layer);
    if (!layer) {
      const names = model.layers.map((l) => l.name).filter((n) => !n.startsWith('input'));
      throw new InvalidArgumentError('--target', text, `a layer of this model: ${names.join(', ')}`);
    }
    const size = sizeOf(layer.outputShape as (number | null)[]);
    if (target.index >= size) {
      throw new InvalidArgumentError(
        '--target',
        text,
        `a unit index from 0 to ${size - 1} (${target.layer} has ${size})`,
      );
    }
    return;
  }
  if (target.kind === 'sum' || target.kind === 'channel') return;
  const outputs = sizeOf(model.outputs[0]!.shape);
  if (target.index >= outputs) {
    throw new InvalidArgumentError(
      '--target',
      text,
      `a class index from 0 to ${outputs - 1} (the model has ${outputs} outputs)`,
    );
  }
}
