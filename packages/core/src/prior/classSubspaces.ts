import type { ImageSample } from './imageSample.ts';
import { evenlySpaced } from './imageSample.ts';
import { principalComponents, projectOnto } from './pca.ts';
import { type SubspacePrior, type SubspaceSettings, subspacePrior } from './subspacePrior.ts';

/**
 * One data subspace per class: the class's own mean and leading components, whitened by the class's
 * own spread. A search for class K then starts at what a typical K looks like and moves along the
 * ways K images differ from one another, rather than along the directions that separate classes
 * (which the whole data's leading components mostly are). `examples` caps the examples per class
 * the covariance is estimated from.
 */
export function classSubspaces(
  sample: ImageSample,
  settings: SubspaceSettings,
  examples: number,
): SubspacePrior[] {
  if (!sample.labels) throw new Error('classSubspaces: the sample has no labels');
  let classes = 0;
  for (const label of sample.labels) classes = Math.max(classes, label + 1);
  const subspaces: SubspacePrior[] = [];
  for (let k = 0; k < classes; k++) {
    const of = ofClass(sample, k);
    const pcs = principalComponents(evenlySpaced(of, examples), Math.min(settings.latent, of.count));
    subspaces.push(subspacePrior(pcs, projectOnto(pcs, of.values, of.count), of.count, settings));
  }
  return subspaces;
}

/** The examples labelled `k`, copied into one sample. */
export function ofClass(sample: ImageSample, k: number): ImageSample {
  const labels = sample.labels!;
  let count = 0;
  for (const label of labels) if (label === k) count++;
  const values = new Float32Array(count * sample.size);
  let at = 0;
  for (let i = 0; i < sample.count; i++) {
    if (labels[i] !== k) continue;
    values.set(sample.values.subarray(i * sample.size, (i + 1) * sample.size), at * sample.size);
    at++;
  }
  return { values, count, size: sample.size, shape: sample.shape, labels: new Uint8Array(count).fill(k) };
}
