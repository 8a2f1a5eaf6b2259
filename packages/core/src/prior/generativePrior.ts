import type { ImageSample } from './imageSample.ts';
import type { ReluDecoder } from './reluDecoder.ts';
import { type TrainedVae, trainVae, type VaeSettings } from './trainVae.ts';

/** Bumped whenever the stored generative prior's layout or recipe changes: an older one is trained again. */
export const generativeFormatVersion = 1;

/**
 * A learned generative prior: a VAE's ReLU decoder and where the training images' codes lie. The
 * search runs over a latent box, each dimension within a few standard deviations of the codes' mean
 * (of class K's codes, for a class target; see generativeLatentBox): the decoder was trained on codes
 * there, so what it decodes there looks like data; far outside it decodes anything.
 */
export interface GenerativePrior {
  method: 'vae';
  decoder: ReluDecoder;
  /** Mean and standard deviation of every training example's code, per latent dimension. */
  codeMean: Float32Array;
  codeSd: Float32Array;
  /** `[classes, latent]`: the same per class, when the sample has labels. */
  classMean?: Float32Array;
  classSd?: Float32Array;
  build: GenerativeBuildInfo;
}

export interface GenerativeBuildInfo {
  version: number;
  settings: VaeSettings;
  trainExamples: number;
  /** Mean squared error per value of the training images' reconstructions (posterior means, clipped to the box). */
  reconstructionError: number;
  seconds: number;
  cpuSeconds: number;
  date: string;
}

/**
 * Latent 16, one hidden layer of 256, 4 epochs over 20,000 evenly spaced training images: about a
 * minute and a half of one core on wasm, measured on Fashion-MNIST (README, bench/src/prior.ts).
 */
export const defaultVaeSettings: VaeSettings = {
  latent: 16,
  hidden: [256],
  epochs: 4,
  batchSize: 128,
  learningRate: 1e-3,
  noise: 0.1,
  examples: 20_000,
  seed: 1,
};

/** Trains the VAE on `train` and records where its codes lie (overall and per class). */
export async function buildGenerativePrior(
  train: ImageSample,
  settings: VaeSettings = defaultVaeSettings,
  options: { onProgress?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<GenerativePrior> {
  const cpuStarted = process.cpuUsage();
  const vae = await trainVae(train, settings, options);
  const cpu = process.cpuUsage(cpuStarted);
  const stats = codeStatistics(vae, train.labels);
  return {
    method: 'vae',
    decoder: vae.decoder,
    ...stats,
    build: {
      version: generativeFormatVersion,
      settings,
      trainExamples: Math.min(train.count, settings.examples),
      reconstructionError: vae.reconstructionError,
      seconds: vae.seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      date: new Date().toISOString(),
    },
  };
}

/** Mean and standard deviation of the codes per dimension, overall and per class (float64 sums). */
function codeStatistics(vae: TrainedVae, labels: Uint8Array | undefined) {
  const { latent } = vae.decoder;
  const count = vae.codes.length / latent;
  const moments = (rows: (i: number) => boolean) => {
    const sum = new Float64Array(latent);
    const squares = new Float64Array(latent);
    let n = 0;
    for (let i = 0; i < count; i++) {
      if (!rows(i)) continue;
      n++;
      for (let d = 0; d < latent; d++) {
        const v = vae.codes[i * latent + d]!;
        sum[d] = sum[d]! + v;
        squares[d] = squares[d]! + v * v;
      }
    }
    const mean = new Float32Array(latent);
    const sd = new Float32Array(latent);
    for (let d = 0; d < latent; d++) {
      mean[d] = sum[d]! / Math.max(1, n);
      sd[d] = Math.sqrt(Math.max(0, squares[d]! / Math.max(1, n) - mean[d]! ** 2));
    }
    return { mean, sd };
  };
  const all = moments(() => true);
  if (!labels) return { codeMean: all.mean, codeSd: all.sd };
  let classes = 0;
  for (const label of labels) classes = Math.max(classes, label + 1);
  const classMean = new Float32Array(classes * latent);
  const classSd = new Float32Array(classes * latent);
  for (let k = 0; k < classes; k++) {
    const { mean, sd } = moments((i) => labels[i] === k);
    classMean.set(mean, k * latent);
    classSd.set(sd, k * latent);
  }
  return { codeMean: all.mean, codeSd: all.sd, classMean, classSd };
}

/**
 * The latent box searched: per dimension the codes' mean ± `sigmas` standard deviations, of class
 * `k`'s codes when given (and known), else of all codes. Its centre is where a realism ray shrinks to.
 */
export function generativeLatentBox(
  prior: GenerativePrior,
  k: number | undefined,
  sigmas: number,
): { lo: Float32Array; hi: Float32Array; centre: Float32Array } {
  const { latent } = prior.decoder;
  const perClass = k !== undefined && prior.classMean && k * latent < prior.classMean.length;
  const centre = perClass
    ? prior.classMean!.slice(k * latent, (k + 1) * latent)
    : Float32Array.from(prior.codeMean);
  const sd = perClass ? prior.classSd!.slice(k * latent, (k + 1) * latent) : prior.codeSd;
  return {
    lo: centre.map((c, d) => c - sigmas * sd[d]!),
    hi: centre.map((c, d) => c + sigmas * sd[d]!),
    centre,
  };
}
