import { UnsupportedError } from '../errors.ts';
import { ModelImportError } from './importError.ts';
import type { ImportLimits } from './importLimits.ts';
import {
  type FunctionalModel,
  isModel,
  type KerasLayer,
  type KerasModel,
  layerName,
  type SequentialModel,
  type Shape,
} from './kerasTopology.ts';
import { type ExpectedWeight, format, inferLayerShapes, LayerShapeError, product } from './layerShapes.ts';

export interface LayerInfo {
  name: string;
  className: string;
  /** Names from the top-level layer down to this one (length > 1 inside nested models). */
  path: string[];
  /** Output shape of the layer's first call, batch dimension first (null). */
  outputShape: Shape;
  parameterCount: number;
  /** Weights the layer must have, in Keras order (empty for nested models: see `layers`). */
  weights: ExpectedWeight[];
  /** The layers of a nested model. */
  layers?: LayerInfo[];
}

export interface TensorInfo {
  name: string;
  /** Without the batch dimension. */
  shape: number[];
}

export interface ModelAnalysis {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Top-level layers in config order. */
  layers: LayerInfo[];
  /** Every layer that holds weights, nested ones included. */
  weightedLayers: LayerInfo[];
  parameterCount: number;
}

interface Context {
  file: string;
  limits: ImportLimits;
  parameters: number;
  layerCount: number;
  weighted: LayerInfo[];
}

interface Scope {
  inputs: Shape[];
  outputs: Shape[];
  layers: LayerInfo[];
}

/**
 * Shapes, weight shapes and parameter counts of every layer, computed from the config alone, with
 * the import limits checked layer by layer, so an absurd model is refused before any tensor exists.
 * Also fills in a nested Sequential's missing input shape (tfjs needs it to build the model).
 */
export function analyzeModel(model: KerasModel, file: string, limits: ImportLimits): ModelAnalysis {
  const context: Context = { file, limits, parameters: 0, layerCount: 0, weighted: [] };
  const scope = analyzeScope(model, undefined, [], context);
  const inputNames =
    model.class_name === 'Model' ? model.config.input_layers.map(([name]) => name) : [inputLayerName(model)];
  const outputNames =
    model.class_name === 'Model'
      ? model.config.output_layers.map(([name]) => name)
      : [layerName(model.config.layers[model.config.layers.length - 1] ?? model)];
  return {
    inputs: scope.inputs.map((shape, i) => ({
      name: inputNames[i] ?? `input_${i}`,
      shape: shape.slice(1) as number[],
    })),
    outputs: scope.outputs.map((shape, i) => ({
      name: outputNames[i] ?? `output_${i}`,
      shape: shape.slice(1).map((d) => d ?? -1),
    })),
    layers: scope.layers,
    weightedLayers: context.weighted,
    parameterCount: context.parameters,
  };
}

function analyzeScope(
  model: KerasModel,
  given: Shape[] | undefined,
  path: string[],
  context: Context,
): Scope {
  return model.class_name === 'Sequential'
    ? analyzeSequential(model, given, path, context)
    : analyzeFunctional(model, given, path, context);
}

function analyzeSequential(
  model: SequentialModel,
  given: Shape[] | undefined,
  path: string[],
  context: Context,
): Scope {
  const layers = model.config.layers;
  const first = layers[0];
  if (!first) throw new ModelImportError(context.file, `Sequential "${layerName(model)}" has no layers`);
  const declared = declaredInputShape(first);
  const input = resolveInput(declared, given?.[0], `"${layerName(model)}"`, context);
  if (!declared) first.config.batch_input_shape = input;
  let shape = input;
  const infos: LayerInfo[] = [];
  for (const [index, layer] of layers.entries()) {
    if (layer.class_name === 'InputLayer') {
      if (index !== 0)
        throw new ModelImportError(
          context.file,
          `Sequential "${layerName(model)}" has an InputLayer after its first layer`,
        );
      infos.push(inputInfo(layer, shape, path));
      continue;
    }
    const { outputs, info } = analyzeCall(layer, [shape], path, context);
    infos.push(info);
    shape = single(outputs, layer, context);
  }
  return { inputs: [input], outputs: [shape], layers: infos };
}

function analyzeFunctional(
  model: FunctionalModel,
  given: Shape[] | undefined,
  path: string[],
  context: Context,
): Scope {
  const name = layerName(model);
  const byName = new Map(model.config.layers.map((layer) => [layerName(layer), layer]));
  const tensors = new Map<string, Shape>();
  const infos = new Map<string, LayerInfo>();
  if (given && given.length !== model.config.input_layers.length)
    throw new ModelImportError(
      context.file,
      `nested model "${name}" takes ${model.config.input_layers.length} inputs, it is called with ${given.length}`,
    );
  const inputs = model.config.input_layers.map(([inputName], i) => {
    const layer = byName.get(inputName);
    if (layer?.class_name !== 'InputLayer')
      throw new ModelImportError(
        context.file,
        `model "${name}" lists input "${inputName}", which is not an InputLayer`,
      );
    const declared = declaredInputShape(layer);
    const shape = resolveInput(declared, given?.[i], `input "${inputName}"`, context);
    if (!declared) layer.config.batch_input_shape = shape;
    tensors.set(`${inputName}:0:0`, shape);
    infos.set(inputName, inputInfo(layer, shape, path));
    return shape;
  });
  // Keras lists layers in a topological order; resolving until nothing changes also accepts any other order.
  const pending = model.config.layers.filter((layer) => layer.class_name !== 'InputLayer');
  const nodesDone = new Map<string, number>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const layer of pending) {
      const lname = layerName(layer);
      const nodes = layer.inbound_nodes ?? [];
      for (let node = nodesDone.get(lname) ?? 0; node < nodes.length; node++) {
        const refs = nodes[node] ?? [];
        const shapes = refs.map(([from, n, t]) => tensors.get(`${from}:${n}:${t}`));
        if (shapes.some((s) => s === undefined)) break;
        const { outputs, info } = analyzeCall(layer, shapes as Shape[], path, context, infos.get(lname));
        infos.set(lname, info);
        // Nested models own node 0 (see normalizeKerasConfig); their calls are nodes 1, 2, ...
        const nodeIndex = isModel(layer) ? node + 1 : node;
        for (const [t, shape] of outputs.entries()) tensors.set(`${lname}:${nodeIndex}:${t}`, shape);
        nodesDone.set(lname, node + 1);
        progress = true;
      }
    }
  }
  const outputs = model.config.output_layers.map(([outName, n, t]) => {
    const shape = tensors.get(`${outName}:${n}:${t}`);
    if (!shape) {
      const stuck = pending.find(
        (layer) => (nodesDone.get(layerName(layer)) ?? 0) < (layer.inbound_nodes?.length ?? 0),
      );
      throw new ModelImportError(
        context.file,
        `model "${name}": output "${outName}" cannot be computed` +
          (stuck
            ? `; layer "${layerName(stuck)}" waits for inputs ${JSON.stringify(stuck.inbound_nodes?.[nodesDone.get(layerName(stuck)) ?? 0]?.map((r) => r[0]))} that no layer produces`
            : ''),
      );
    }
    return shape;
  });
  const layers = model.config.layers.flatMap((layer) => {
    const info = infos.get(layerName(layer));
    return info ? [info] : [];
  });
  return { inputs, outputs, layers };
}

function analyzeCall(
  layer: KerasLayer,
  inputs: Shape[],
  path: string[],
  context: Context,
  previous?: LayerInfo,
): { outputs: Shape[]; info: LayerInfo } {
  const name = layerName(layer);
  const where = `layer "${name}" (${layer.class_name})`;
  if (isModel(layer)) {
    const scope = analyzeScope(layer, inputs, [...path, name], context);
    const info: LayerInfo = previous ?? {
      name,
      className: layer.class_name,
      path: [...path, name],
      outputShape: scope.outputs[0] ?? [],
      parameterCount: scope.layers.reduce((sum, l) => sum + l.parameterCount, 0),
      weights: [],
      layers: scope.layers,
    };
    return { outputs: scope.outputs, info };
  }
  if (++context.layerCount > context.limits.maxLayers)
    throw new ModelImportError(context.file, `the model has more than ${context.limits.maxLayers} layers`);
  let shapes: ReturnType<typeof inferLayerShapes>;
  try {
    shapes = inferLayerShapes(layer.class_name, layer.config, inputs);
  } catch (error) {
    if (error instanceof LayerShapeError)
      throw new ModelImportError(context.file, `${where} ${error.message}`);
    throw error;
  }
  if (previous) {
    // A shared layer: every call must fit the weights its first call created.
    const same =
      previous.weights.length === shapes.weights.length &&
      previous.weights.every((w, i) => format(w.shape) === format(shapes.weights[i]?.shape ?? []));
    if (!same) throw new ModelImportError(context.file, `${where} is called on inputs of different sizes`);
    checkActivations(shapes.output, where, context);
    return { outputs: [shapes.output], info: previous };
  }
  const count = shapes.weights.reduce((sum, w) => sum + product(w.shape), 0);
  if (context.parameters + count > context.limits.maxParameters)
    throw new ModelImportError(
      context.file,
      `${where} needs ${count.toLocaleString('en-US')} parameters (${shapes.weights
        .map((w) => `${w.kind} ${format(w.shape)}`)
        .join(
          ', ',
        )}); the limit for the whole model is ${context.limits.maxParameters.toLocaleString('en-US')}`,
    );
  checkActivations(shapes.output, where, context);
  context.parameters += count;
  const info: LayerInfo = {
    name,
    className: layer.class_name,
    path: [...path, name],
    outputShape: shapes.output,
    parameterCount: count,
    weights: shapes.weights,
  };
  if (shapes.weights.length > 0) context.weighted.push(info);
  return { outputs: [shapes.output], info };
}

function checkActivations(output: Shape, where: string, context: Context): void {
  const activations = product(output.slice(1).map((d) => d ?? 1));
  if (activations > context.limits.maxActivationsPerLayer)
    throw new ModelImportError(
      context.file,
      `${where} outputs ${format(output)}: ${activations.toLocaleString('en-US')} values per example; ` +
        `the limit is ${context.limits.maxActivationsPerLayer.toLocaleString('en-US')}`,
    );
}

function declaredInputShape(layer: KerasLayer): Shape | undefined {
  const { batch_input_shape: batch, input_shape: shape } = layer.config;
  if (Array.isArray(batch)) return batch as Shape;
  if (Array.isArray(shape)) return [null, ...(shape as Shape)];
  return undefined;
}

function resolveInput(
  declared: Shape | undefined,
  given: Shape | undefined,
  where: string,
  context: Context,
): Shape {
  if (given) {
    const fits =
      !declared ||
      (declared.length === given.length && declared.every((d, i) => i === 0 || d == null || d === given[i]));
    if (!fits)
      throw new ModelImportError(
        context.file,
        `${where} expects ${format(declared ?? [])}, it is called with ${format(given)}`,
      );
    return given;
  }
  if (!declared)
    throw new ModelImportError(
      context.file,
      `${where} has no input shape in its config; save the model after building it (Input(shape=...))`,
    );
  const dims = declared.slice(1);
  if (dims.some((d) => d == null))
    throw new UnsupportedError(
      `${context.file}: ${where} has input shape ${format(declared)} with unknown sizes; argmax needs every size but the batch fixed`,
    );
  if (dims.some((d) => !Number.isSafeInteger(d) || (d as number) < 1))
    throw new ModelImportError(
      context.file,
      `${where} has input shape ${format(declared)}; sizes must be positive integers`,
    );
  const values = product(dims as number[]);
  if (values > context.limits.maxActivationsPerLayer)
    throw new ModelImportError(
      context.file,
      `${where} takes ${values.toLocaleString('en-US')} values per example; the limit is ${context.limits.maxActivationsPerLayer.toLocaleString('en-US')}`,
    );
  return [null, ...dims];
}

function inputInfo(layer: KerasLayer, shape: Shape, path: string[]): LayerInfo {
  const name = layerName(layer);
  return {
    name,
    className: 'InputLayer',
    path: [...path, name],
    outputShape: shape,
    parameterCount: 0,
    weights: [],
  };
}

function inputLayerName(model: SequentialModel): string {
  const first = model.config.layers[0];
  // tfjs and Keras name the implicit input after the first layer.
  return first?.class_name === 'InputLayer' || !first
    ? layerName(first ?? model)
    : `${layerName(first)}_input`;
}

function single(outputs: Shape[], layer: KerasLayer, context: Context): Shape {
  if (outputs.length !== 1 || !outputs[0])
    throw new ModelImportError(
      context.file,
      `layer "${layerName(layer)}" in a Sequential model must have one output`,
    );
  return outputs[0];
}
