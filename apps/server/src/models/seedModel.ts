import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describeModel, fashionMnistClassNames, memoryLoadHandler } from '@argmax/core';
import { ConflictError, type Storage } from '@argmax/db';
import { loadLayersModel } from '@tensorflow/tfjs-layers';

export const SEED_MODEL_NAME = 'Fashion-MNIST MLP (seed)';

/** The committed seed model (`npm run train:seed` regenerates it). */
export const defaultSeedModelDir = join(
  dirname(createRequire(import.meta.url).resolve('@argmax/core/package.json')),
  'models',
  'fashion-mnist-mlp',
);

/**
 * Makes the built-in seed model available to every team; returns its id. Safe when several servers start
 * on a fresh database at once: the one whose insert loses (the name is unique among built-ins) uses the
 * winner's row, which holds the same committed files.
 */
export async function ensureSeedModel(
  storage: Storage,
  seedDir: string,
  log: (line: string) => void,
): Promise<string> {
  const existing = await storage.models.findBuiltin(SEED_MODEL_NAME);
  if (existing) return existing.id;
  const modelJson = await readFile(join(seedDir, 'model.json'), 'utf8');
  const weights = new Uint8Array(await readFile(join(seedDir, 'weights.bin')));
  const model = await loadLayersModel(memoryLoadHandler({ modelJson, weights }));
  try {
    const description = describeModel(model);
    const created = await storage.models.create({
      teamId: null,
      name: SEED_MODEL_NAME,
      origin: 'builtin',
      modelJson,
      weights,
      inputShape: description.inputShape.map((d) => d ?? 1),
      outputCount: description.outputCount,
      classNames: [...fashionMnistClassNames],
      layerSummary: description.layers as never,
      parameterCount: description.parameterCount,
      createdBy: null,
    });
    log(`seed model ready: ${SEED_MODEL_NAME} (${description.parameterCount} parameters)`);
    return created.id;
  } catch (error) {
    const winner = error instanceof ConflictError ? await storage.models.findBuiltin(SEED_MODEL_NAME) : null;
    if (winner === null) throw error;
    return winner.id;
  } finally {
    model.dispose();
  }
}
