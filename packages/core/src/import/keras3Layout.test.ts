/**
 * Keras 3 keeps a layer's weights at a path made from its class, numbered in `model.layers` order
 * (saving_lib._save_container_state), not from its name. Each file here is written in that layout with
 * the paths worked out by hand from Keras 3's rules (stated next to each case), and the imported
 * network must compute what plain matrix code computes from the arrays at those paths.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend.ts';
import {
  addLayer,
  type DenseWeights,
  denseLayer,
  denseWeights,
  functional,
  inputLayer,
  kerasArchive,
  sequential,
  tensor,
} from '../testing/keras3Files.ts';
import { dense, maxAbsDiff, relu } from '../testing/referenceOps.ts';
import { ModelImportError } from './importError.ts';
import { importModel } from './importModel.ts';
import { toSnakeCase } from './keras3WeightPaths.ts';
import { deterministicInput } from './verifyModel.ts';

const layer = (x: Float32Array, w: DenseWeights) => dense(x, w.kernel, w.bias);

/**
 * Imports the archive and checks its outputs on fixed inputs against `reference` to 1e-5, and that
 * disposing the model frees every tensor (`leaked`: how many tfjs itself keeps, see the shared layer).
 */
async function expectImportComputes(
  bytes: Uint8Array,
  size: number,
  reference: (x: Float32Array) => Float32Array,
  leaked = 0,
): Promise<void> {
  const before = tf.memory().numTensors;
  const imported = await importModel({ files: new Map([['model.keras', bytes]]) });
  const inputs = [0, 1, 2, 3].map((k) => Float32Array.from(deterministicInput(size, k), (v) => v * 2 - 1));
  const ours = tf.tidy(
    () =>
      (
        imported.model.predict(
          tf.tensor2d(
            inputs.flatMap((a) => Array.from(a)),
            [inputs.length, size],
          ),
        ) as tf.Tensor
      ).arraySync() as number[][],
  );
  imported.model.dispose();
  expect(tf.memory().numTensors).toBe(before + leaked);
  for (const [k, input] of inputs.entries())
    expect(maxAbsDiff(ours[k] as number[], reference(input))).toBeLessThan(1e-5);
}

/** Input(8) > Dense 16 relu > Dense 12 relu > Dense 5, the layers named as a user (or a busy Python process) names them. */
function namedSequential() {
  return sequential('classifier', [
    inputLayer('pixels', 8),
    denseLayer('features', 16, 'relu'),
    denseLayer('dense_4', 12, 'relu'),
    denseLayer('logits', 5, 'linear'),
  ]);
}
const seqWeights = { a: denseWeights(8, 16, 1), b: denseWeights(16, 12, 2), c: denseWeights(12, 5, 3) };
const seqReference = (x: Float32Array) =>
  layer(relu(layer(relu(layer(x, seqWeights.a)), seqWeights.b)), seqWeights.c);
// Sequential.layers is the layer list without the InputLayer: dense, dense_1, dense_2.
const seqGroups = {
  'layers/dense': seqWeights.a,
  'layers/dense_1': seqWeights.b,
  'layers/dense_2': seqWeights.c,
};

describe('importModel: Keras 3 weight paths', () => {
  beforeAll(() => initBackend());

  it('snake-cases class names as keras.src.utils.naming.to_snake_case does', () => {
    // Expected values from Python's re with Keras's three substitutions.
    expect(
      [
        'Conv2D',
        'BatchNormalization',
        'Conv2DTranspose',
        'MaxPooling2D',
        'DepthwiseConv2D',
        'ReLU',
        'LeakyReLU',
        'InputLayer',
      ].map(toSnakeCase),
    ).toEqual([
      'conv2d',
      'batch_normalization',
      'conv2d_transpose',
      'max_pooling2d',
      'depthwise_conv2d',
      're_lu',
      'leaky_re_lu',
      'input_layer',
    ]);
  });

  it('finds the weights of layers whose names differ from their class-derived paths', async () => {
    await expectImportComputes(await kerasArchive(namedSequential(), seqGroups), 8, seqReference);
  });

  it('gives a skip branch created before the main branch its own weights, not its twin’s', async () => {
    // h = Dense(12, relu)(x); skip = Dense(12)(h); y = Dense(12, relu)(h); out = Dense(4)(Add()([y, skip])),
    // in a fresh process: named dense, dense_1 (skip), dense_2 (main), dense_3. model.layers (map_graph:
    // deepest first, ties by first visit walking back from the output through Add's args [y, skip]) is
    // input, dense, dense_2, dense_1, add, dense_3, so the main branch's arrays are at layers/dense_1 and
    // the skip's at layers/dense_2. Keras writes the config's layer list in that same order.
    const w = {
      h: denseWeights(8, 12, 4),
      skip: denseWeights(12, 12, 5),
      main: denseWeights(12, 12, 6),
      out: denseWeights(12, 4, 7),
    };
    const entries = {
      input: inputLayer('input_layer', 8),
      h: denseLayer('dense', 12, 'relu', [[tensor('input_layer')]]),
      skip: denseLayer('dense_1', 12, 'linear', [[tensor('dense')]]),
      main: denseLayer('dense_2', 12, 'relu', [[tensor('dense')]]),
      add: addLayer('add', [tensor('dense_2'), tensor('dense_1')]),
      out: denseLayer('dense_3', 4, 'linear', [[tensor('add')]]),
    };
    const groups = {
      'layers/dense': w.h,
      'layers/dense_1': w.main,
      'layers/dense_2': w.skip,
      'layers/dense_3': w.out,
    };
    const reference = (x: Float32Array) => {
      const h = relu(layer(x, w.h));
      const sum = relu(layer(h, w.main)).map((v, i) => v + (layer(h, w.skip)[i] as number));
      return layer(sum, w.out);
    };
    const { input, h, skip, main, add, out } = entries;
    const model = (layers: Record<string, unknown>[]) =>
      functional('functional', layers, [['input_layer', 0, 0]], [['dense_3', 0, 0]]);
    await expectImportComputes(
      await kerasArchive(model([input, h, main, skip, add, out]), groups),
      8,
      reference,
    );
    // Keras rebuilds the graph before loading, so a config listing the layers in creation order loads the same.
    await expectImportComputes(
      await kerasArchive(model([input, h, skip, main, add, out]), groups),
      8,
      reference,
    );
  });

  it('walks a Sequential nested in a functional model below its own path', async () => {
    // model.layers: input, pre (dense), block (sequential), head (dense_1); block's own layers: dense, dense_1.
    const w = {
      pre: denseWeights(8, 10, 8),
      d1: denseWeights(10, 10, 9),
      d2: denseWeights(10, 6, 10),
      head: denseWeights(6, 3, 11),
    };
    const block = sequential(
      'block',
      [inputLayer('block_input', 10), denseLayer('d1', 10, 'relu'), denseLayer('d2', 6, 'linear')],
      [[tensor('pre')]],
    );
    const config = functional(
      'outer',
      [
        inputLayer('x', 8),
        denseLayer('pre', 10, 'relu', [[tensor('x')]]),
        block,
        denseLayer('head', 3, 'linear', [[tensor('block')]]),
      ],
      [['x', 0, 0]],
      [['head', 0, 0]],
    );
    const groups = {
      'layers/dense': w.pre,
      'layers/sequential/layers/dense': w.d1,
      'layers/sequential/layers/dense_1': w.d2,
      'layers/dense_1': w.head,
    };
    await expectImportComputes(await kerasArchive(config, groups), 8, (x) =>
      layer(layer(relu(layer(relu(layer(x, w.pre)), w.d1)), w.d2), w.head),
    );
  });

  it('loads a layer called twice (shared) once, from its single path', async () => {
    // shared = Dense(6, relu); out = Dense(3)(shared(shared(x))): model.layers is input, shared, out.
    const w = { shared: denseWeights(6, 6, 12), out: denseWeights(6, 3, 13) };
    const config = functional(
      'functional',
      [
        inputLayer('x', 6),
        denseLayer('shared', 6, 'relu', [[tensor('x')], [tensor('shared', 0)]]),
        denseLayer('out', 3, 'linear', [[tensor('shared', 1)]]),
      ],
      [['x', 0, 0]],
      [['out', 0, 0]],
    );
    await expectImportComputes(
      await kerasArchive(config, { 'layers/dense': w.shared, 'layers/dense_1': w.out }),
      6,
      (x) => layer(relu(layer(relu(layer(x, w.shared)), w.shared)), w.out),
      // tfjs-layers counts a layer's calls as references: model.dispose() leaves the twice-called
      // layer's kernel and bias alive.
      2,
    );
  });

  it('accepts Keras 3.6+ group labels that agree and refuses a file whose labels contradict the walk', async () => {
    const labels = { 'layers/dense': 'features', 'layers/dense_1': 'dense_4', 'layers/dense_2': 'logits' };
    await expectImportComputes(await kerasArchive(namedSequential(), seqGroups, labels), 8, seqReference);
    const swapped = { ...labels, 'layers/dense': 'dense_4', 'layers/dense_1': 'features' };
    const error = await importModel({
      files: new Map([['model.keras', await kerasArchive(namedSequential(), seqGroups, swapped)]]),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelImportError);
    expect((error as Error).message).toMatch(
      /^model\.keras: model\.weights\.h5: layer "features" \(Dense\): its weights belong at \/layers\/dense\/vars, which the file labels as layer "dense_4"; the weights file does not match config\.json$/,
    );
  });

  it('reads a tf.keras 2.13–2.15 .keras file (paths under _layer_checkpoint_dependencies) as Keras 3 does', async () => {
    const groups = Object.fromEntries(
      Object.entries(seqGroups).map(([path, w]) => [
        path.replace('layers', '_layer_checkpoint_dependencies'),
        w,
      ]),
    );
    await expectImportComputes(await kerasArchive(namedSequential(), groups), 8, seqReference);
  });
});
