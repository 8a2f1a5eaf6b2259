import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArgmaxError } from '../errors.ts';
import { type GenerativePrior, generativeFormatVersion } from './generativePrior.ts';

/**
 * The generative prior is stored beside the prior it belongs to, in `<prior folder>/vae`: trained
 * only when a run asks for it, so a prior cached before it existed still loads and gains it later.
 */
export function generativeDir(priorFolder: string): string {
  return join(priorFolder, 'vae');
}

/**
 * Saves as `vae.json` (sizes, statistics' layout, build info) and `vae.bin` (float32 arrays), written
 * into a temporary sibling and renamed into place, so a reader never sees half of it.
 */
export async function saveGenerativePrior(prior: GenerativePrior, dir: string): Promise<void> {
  const temp = `${dir}.tmp-${process.pid}-${Date.now().toString(36)}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  try {
    const arrays: Float32Array[] = [];
    const put = (array: Float32Array) => {
      const at = arrays.reduce((n, a) => n + a.length, 0);
      arrays.push(array);
      return { offset: at, length: array.length };
    };
    const { decoder } = prior;
    const manifest = {
      method: prior.method,
      latent: decoder.latent,
      size: decoder.size,
      hidden: decoder.hidden.map((l) => ({ units: l.units, kernel: put(l.kernel), bias: put(l.bias) })),
      offset: put(decoder.offset),
      basis: put(decoder.basis),
      codeMean: put(prior.codeMean),
      codeSd: put(prior.codeSd),
      ...(prior.classMean && prior.classSd
        ? { classMean: put(prior.classMean), classSd: put(prior.classSd) }
        : {}),
      build: prior.build,
    };
    const bytes = Buffer.concat(arrays.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
    await writeFile(join(temp, 'vae.bin'), bytes);
    await writeFile(join(temp, 'vae.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(temp, dir);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** What loadGenerativePrior found: the prior, or why there is none to use (absent, or an older format). */
export type LoadedGenerative = { prior: GenerativePrior } | { missing: string };

/** Loads what saveGenerativePrior wrote. */
export async function loadGenerativePrior(dir: string): Promise<LoadedGenerative> {
  let manifest: ReturnType<typeof JSON.parse>;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'vae.json'), 'utf8'));
  } catch {
    return { missing: `no generative prior in ${dir}` };
  }
  const version = manifest?.build?.version;
  if (version !== generativeFormatVersion)
    return {
      missing: `the generative prior in ${dir} has format ${version}, this version reads ${generativeFormatVersion}`,
    };
  const file = await readFile(join(dir, 'vae.bin'));
  const all = new Float32Array(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
  const take = (stored: { offset: number; length: number }) => {
    if (stored.offset + stored.length > all.length)
      throw new ArgmaxError(`generative prior ${dir}: vae.bin is shorter than vae.json says`);
    return all.slice(stored.offset, stored.offset + stored.length);
  };
  type Stored = { offset: number; length: number };
  return {
    prior: {
      method: manifest.method,
      decoder: {
        latent: manifest.latent,
        size: manifest.size,
        hidden: (manifest.hidden as { units: number; kernel: Stored; bias: Stored }[]).map((l) => ({
          units: l.units,
          kernel: take(l.kernel),
          bias: take(l.bias),
        })),
        offset: take(manifest.offset),
        basis: take(manifest.basis),
      },
      codeMean: take(manifest.codeMean),
      codeSd: take(manifest.codeSd),
      ...(manifest.classMean ? { classMean: take(manifest.classMean), classSd: take(manifest.classSd) } : {}),
      build: manifest.build,
    },
  };
}
