import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ArgmaxError } from '../errors.ts';
import { loadModel } from '../models/loadModel.ts';
import { saveModel } from '../models/saveModel.ts';
import type { Judge } from '../realism/judges.ts';
import { generativeDir, loadGenerativePrior, saveGenerativePrior } from './generativeStore.ts';
import { type Prior, priorFormatVersion } from './prior.ts';

/** Where built priors are kept: `$ARGMAX_CACHE_DIR/priors`, else `~/.cache/argmax/priors`. */
export function priorCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.ARGMAX_CACHE_DIR ?? join(homedir(), '.cache', 'argmax'), 'priors');
}

/** The folder of one prior: its name and the format version (an older layout is never read). */
export function priorDir(cacheDir: string, name: string): string {
  return join(cacheDir, `${name}-v${priorFormatVersion}`);
}

type ArrayKind = 'f32' | 'f64' | 'u8';
interface Stored {
  kind: ArrayKind;
  offset: number;
  length: number;
}

/**
 * Saves a prior as `prior.json` (settings, sizes, the layout of the arrays), `arrays.bin` (every
 * array, the training examples as bytes over the box), one TF.js model folder per judge and the
 * generative prior's folder when there is one (generativeStore). Written
 * into a temporary sibling and renamed into place, so a reader never sees half a prior.
 */
export async function savePrior(prior: Prior, dir: string): Promise<void> {
  const temp = `${dir}.tmp-${process.pid}-${Date.now().toString(36)}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  try {
    const chunks: Uint8Array[] = [];
    let offset = 0;
    const put = (kind: ArrayKind, array: Float32Array | Float64Array | Uint8Array): Stored => {
      const align = kind === 'u8' ? 1 : 8;
      const pad = (align - (offset % align)) % align;
      if (pad) chunks.push(new Uint8Array(pad));
      offset += pad;
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      chunks.push(bytes);
      const stored = { kind, offset, length: array.length };
      offset += bytes.byteLength;
      return stored;
    };
    const { subspace, realism } = prior;
    const [lo, hi] = prior.box;
    const trainBytes = new Uint8Array(realism.train.values.length);
    const scale = hi > lo ? 255 / (hi - lo) : 0;
    for (let i = 0; i < trainBytes.length; i++)
      trainBytes[i] = Math.round((realism.train.values[i]! - lo) * scale);
    const arrays = {
      offset: put('f32', subspace.decoder.offset),
      basis: put('f32', subspace.decoder.basis),
      lo: put('f32', subspace.lo),
      hi: put('f32', subspace.hi),
      mean: put('f32', realism.mean),
      components: put('f32', realism.components),
      train: put('u8', trainBytes),
      coordinates: put('f32', realism.train.coordinates),
      residuals: put('f32', realism.train.residuals),
      heldOutNearest: put('f64', realism.heldOutNearest),
      heldOutResidual: put('f64', realism.heldOutResidual),
      ...(realism.trainLabels ? { trainLabels: put('u8', realism.trainLabels) } : {}),
    };
    const classes = (prior.classSubspaces ?? []).map((s) => ({
      latent: s.decoder.latent,
      radius: s.radius,
      arrays: {
        offset: put('f32', s.decoder.offset),
        basis: put('f32', s.decoder.basis),
        lo: put('f32', s.lo),
        hi: put('f32', s.hi),
      },
    }));
    await writeFile(join(temp, 'arrays.bin'), Buffer.concat(chunks));
    for (const judge of prior.judges) await saveModel(judge.model, join(temp, 'judges', judge.name));
    if (prior.generative) await saveGenerativePrior(prior.generative, generativeDir(temp));
    const manifest = {
      name: prior.name,
      shape: prior.shape,
      box: prior.box,
      ...(prior.classNames ? { classNames: prior.classNames } : {}),
      latent: subspace.decoder.latent,
      radius: subspace.radius,
      classes,
      trainCount: realism.train.count,
      realismComponents: realism.train.components,
      judges: prior.judges.map(({ name, testAccuracy }) => ({ name, testAccuracy })),
      build: prior.build,
      arrays,
    };
    await writeFile(join(temp, 'prior.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(temp, dir);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** Loads a prior saved by savePrior; undefined when the folder holds none (or an older format). */
export async function loadPrior(dir: string): Promise<Prior | undefined> {
  let manifest: ReturnType<typeof JSON.parse>;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'prior.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest?.build?.version !== priorFormatVersion) return undefined;
  const bytes = await readFile(join(dir, 'arrays.bin'));
  const take = (name: string, arrays = manifest.arrays) => {
    const stored = arrays[name] as Stored | undefined;
    if (!stored) return undefined;
    const end = stored.offset + stored.length * (stored.kind === 'u8' ? 1 : stored.kind === 'f32' ? 4 : 8);
    if (end > bytes.byteLength)
      throw new ArgmaxError(`prior ${dir}: arrays.bin is shorter than prior.json says`);
    const copy = bytes.buffer.slice(bytes.byteOffset + stored.offset, bytes.byteOffset + end);
    return stored.kind === 'u8'
      ? new Uint8Array(copy)
      : stored.kind === 'f32'
        ? new Float32Array(copy)
        : new Float64Array(copy);
  };
  const f32 = (name: string, arrays = manifest.arrays) => take(name, arrays) as Float32Array;
  const [lo, hi] = manifest.box as [number, number];
  const trainBytes = take('train') as Uint8Array;
  const values = new Float32Array(trainBytes.length);
  const step = (hi - lo) / 255;
  for (let i = 0; i < values.length; i++) values[i] = lo + trainBytes[i]! * step;
  const size = (manifest.shape as number[]).reduce((a, b) => a * b, 1);
  const judges: Judge[] = [];
  for (const { name, testAccuracy } of manifest.judges as { name: string; testAccuracy?: number }[]) {
    const model = await loadModel(join(dir, 'judges', name));
    judges.push({ name, model, ...(testAccuracy !== undefined ? { testAccuracy } : {}) });
  }
  const trainLabels = take('trainLabels') as Uint8Array | undefined;
  const classes = (manifest.classes ?? []) as {
    latent: number;
    radius: number;
    arrays: Record<string, Stored>;
  }[];
  const classSubspaces = classes.map(({ latent, radius, arrays }) => ({
    decoder: { latent, size, offset: f32('offset', arrays), basis: f32('basis', arrays) },
    lo: f32('lo', arrays),
    hi: f32('hi', arrays),
    radius,
  }));
  const generative = await loadGenerativePrior(generativeDir(dir));
  return {
    name: manifest.name,
    shape: manifest.shape,
    box: manifest.box,
    ...(manifest.classNames ? { classNames: manifest.classNames } : {}),
    subspace: {
      decoder: { latent: manifest.latent, size, offset: f32('offset'), basis: f32('basis') },
      lo: f32('lo'),
      hi: f32('hi'),
      radius: manifest.radius,
    },
    ...(classSubspaces.length > 0 ? { classSubspaces } : {}),
    realism: {
      mean: f32('mean'),
      components: f32('components'),
      train: {
        values,
        count: manifest.trainCount,
        size,
        coordinates: f32('coordinates'),
        components: manifest.realismComponents,
        residuals: f32('residuals'),
      },
      ...(trainLabels ? { trainLabels } : {}),
      heldOutNearest: take('heldOutNearest') as Float64Array,
      heldOutResidual: take('heldOutResidual') as Float64Array,
    },
    judges,
    ...('prior' in generative ? { generative: generative.prior } : {}),
    build: manifest.build,
  };
}
